/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What bindgen binds for re1000: the kernel headers the layer uses, the C
 * helpers' prototypes, and constants that are macros in C (clang evaluates
 * them here so that they reach Rust as plain numbers).
 */
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/netdev_features.h>
#include "helpers.h"

const u64 RE1000_NETIF_F_SG = NETIF_F_SG;
const u64 RE1000_NETIF_F_HW_CSUM = NETIF_F_HW_CSUM;
const u64 RE1000_NETIF_F_HIGHDMA = NETIF_F_HIGHDMA;
const u64 RE1000_NETIF_F_RXALL = NETIF_F_RXALL;
const u64 RE1000_NETIF_F_RXFCS = NETIF_F_RXFCS;
const u64 RE1000_NETIF_F_HW_VLAN_CTAG_RX = NETIF_F_HW_VLAN_CTAG_RX;
const u64 RE1000_NETIF_F_HW_VLAN_CTAG_TX = NETIF_F_HW_VLAN_CTAG_TX;
const u64 RE1000_NETIF_F_HW_VLAN_CTAG_FILTER = NETIF_F_HW_VLAN_CTAG_FILTER;
const u64 RE1000_NETIF_F_TSO = NETIF_F_TSO;
const u64 RE1000_NETIF_F_TSO6 = NETIF_F_TSO6;
const u64 RE1000_DMA_BIT_MASK_64 = DMA_BIT_MASK(64);
const u64 RE1000_DMA_BIT_MASK_32 = DMA_BIT_MASK(32);
const unsigned long RE1000_IORESOURCE_MEM = IORESOURCE_MEM;
const int RE1000_NETDEV_TX_OK = NETDEV_TX_OK;
const int RE1000_NETDEV_TX_BUSY = NETDEV_TX_BUSY;
const int RE1000_IRQ_NONE = IRQ_NONE;
const int RE1000_IRQ_HANDLED = IRQ_HANDLED;
const unsigned int RE1000_IFF_PROMISC = IFF_PROMISC;
const unsigned int RE1000_IFF_ALLMULTI = IFF_ALLMULTI;
const unsigned int RE1000_PCI_ANY_ID = PCI_ANY_ID;
const int RE1000_ETH_ZLEN = ETH_ZLEN;
const int RE1000_ETH_HLEN = ETH_HLEN;
const int RE1000_HZ = HZ;
const u32 RE1000_ETH_SS_STATS = ETH_SS_STATS;
const u32 RE1000_ETHTOOL_COALESCE_RX_USECS = ETHTOOL_COALESCE_RX_USECS;
const u32 RE1000_ETHTOOL_COALESCE_USE_ADAPTIVE_RX = ETHTOOL_COALESCE_USE_ADAPTIVE_RX;
const u8 RE1000_AUTONEG_ENABLE = AUTONEG_ENABLE;
const u8 RE1000_DUPLEX_FULL = DUPLEX_FULL;
