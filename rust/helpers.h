/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prototypes of re1000's C helpers: one thin wrapper per static inline
 * function or macro of the kernel that the Rust layer needs, since bindgen
 * can only bind real, exported functions.
 */
#ifndef RE1000_HELPERS_H
#define RE1000_HELPERS_H

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/ethtool.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <net/netdev_queues.h>
#include <net/page_pool/helpers.h>
#include <net/xdp.h>

/* MMIO and ordering */
u32 re1000_readl(const void __iomem *addr);
void re1000_writel(u32 value, void __iomem *addr);
void re1000_dma_rmb(void);
void re1000_dma_wmb(void);

/* PCI */
int re1000_pci_register_driver(struct pci_driver *drv);
void re1000_pci_set_drvdata(struct pci_dev *pdev, void *data);
void *re1000_pci_get_drvdata(struct pci_dev *pdev);
struct device *re1000_pci_dev(struct pci_dev *pdev);
struct pci_dev *re1000_to_pci_dev(struct device *dev);
int re1000_pci_enable_managed(struct pci_dev *pdev);
void re1000_pci_disable(struct pci_dev *pdev);
int re1000_pci_reenable(struct pci_dev *pdev);
int re1000_pci_request_region(struct pci_dev *pdev, int bar, const char *name);
void re1000_pci_release_region(struct pci_dev *pdev, int bar);
int re1000_devres_open_group(struct device *dev);
void re1000_devres_close_group(struct device *dev);
void re1000_devres_release_group(struct device *dev);
int re1000_devm_add_action_or_reset(struct device *dev, void (*action)(void *),
				    void *data);
unsigned long re1000_pci_resource_len(struct pci_dev *pdev, int bar);
unsigned long re1000_pci_resource_flags(struct pci_dev *pdev, int bar);
unsigned int re1000_pci_irq(struct pci_dev *pdev);
const char *re1000_pci_name(struct pci_dev *pdev);
u16 re1000_pci_device_id(struct pci_dev *pdev);
bool re1000_pci_can_wakeup(struct pci_dev *pdev);
int re1000_pci_set_wakeup(struct pci_dev *pdev, bool on);
void *re1000_dev_get_drvdata(struct device *dev);
void re1000_pci_prepare_power_off(struct pci_dev *pdev, bool wake);

/* DMA */
int re1000_dma_set_mask_and_coherent(struct device *dev, u64 mask);
void *re1000_dma_alloc_coherent(struct device *dev, size_t size,
				dma_addr_t *handle);
void re1000_dma_free_coherent(struct device *dev, size_t size, void *cpu,
			      dma_addr_t handle);
dma_addr_t re1000_dma_map_single(struct device *dev, void *ptr, size_t size,
				 int to_device);
void re1000_dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
			     int to_device);
dma_addr_t re1000_dma_map_frag(struct device *dev, struct sk_buff *skb,
			       unsigned int index, unsigned int *len);
void re1000_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size);
int re1000_dma_mapping_error(struct device *dev, dma_addr_t addr);

/* IRQ */
int re1000_request_irq(unsigned int irq, irq_handler_t handler,
		       const char *name, void *dev_id);

/* net_device */
struct net_device *re1000_alloc_etherdev(int priv_size);
void re1000_dev_hold(struct net_device *dev);
void re1000_dev_put(struct net_device *dev);
void *re1000_netdev_priv(struct net_device *dev);
void re1000_netdev_set_parent(struct net_device *dev, struct device *parent);
void re1000_netdev_set_ops(struct net_device *dev,
			   const struct net_device_ops *ops,
			   const struct ethtool_ops *ethtool_ops,
			   const struct netdev_stat_ops *stat_ops);
void re1000_netdev_set_features(struct net_device *dev, u64 features,
				u64 hw_features, u64 vlan_features);
u64 re1000_netdev_features(struct net_device *dev);
void re1000_netdev_set_mtu_range(struct net_device *dev, unsigned int min,
				 unsigned int max);
unsigned int re1000_netdev_mtu(struct net_device *dev);
void re1000_netdev_set_mtu(struct net_device *dev, unsigned int mtu);
void re1000_netdev_set_watchdog(struct net_device *dev, int timeo);
void re1000_netdev_set_irq(struct net_device *dev, int irq);
unsigned int re1000_netdev_flags(struct net_device *dev);
const char *re1000_netdev_name(struct net_device *dev);
void re1000_netdev_set_addr(struct net_device *dev, const u8 *addr);
void re1000_netdev_addr(struct net_device *dev, u8 *addr);
void re1000_netdev_set_priv_flag_unicast_flt(struct net_device *dev);
int re1000_netif_addr_lock(struct net_device *dev);
void re1000_netif_addr_unlock(struct net_device *dev);
int re1000_netdev_mc_addrs(struct net_device *dev, u8 *out, int max);
int re1000_netdev_uc_addrs(struct net_device *dev, u8 *out, int max);
int re1000_netdev_running(struct net_device *dev);
void re1000_sockaddr_mac(const void *sockaddr, u8 *mac);
void re1000_random_mac(u8 *mac);
bool re1000_is_valid_ether_addr(const u8 *mac);
int re1000_netif_xmit_stopped(struct net_device *dev);
void re1000_netif_start_queue(struct net_device *dev);
void re1000_netif_stop_queue(struct net_device *dev);
void re1000_netif_wake_queue(struct net_device *dev);
int re1000_netif_queue_stopped(struct net_device *dev);
void re1000_netif_tx_disable(struct net_device *dev);
void re1000_netif_tx_lock(struct net_device *dev);
void re1000_netif_tx_unlock(struct net_device *dev);
void re1000_netif_tx_lock_in_poll(struct net_device *dev);
bool re1000_netif_tx_lock_in_poll_unless_held(struct net_device *dev);
void re1000_netif_tx_unlock_in_poll(struct net_device *dev);
void re1000_netif_trans_update(struct net_device *dev);
void re1000_netdev_sent_queue(struct net_device *dev, unsigned int bytes);
void re1000_netdev_completed_queue(struct net_device *dev, unsigned int pkts,
				   unsigned int bytes);
void re1000_netdev_reset_queue(struct net_device *dev);
int re1000_netdev_xmit_more(void);
int re1000_netif_carrier_ok(struct net_device *dev);
int re1000_netif_device_present(struct net_device *dev);

/* ethtool */
void re1000_ksettings_fill(struct ethtool_link_ksettings *ks, u32 supported,
			   u32 advertising, u32 speed, u8 full_duplex,
			   u8 autoneg, u8 link_up);
int re1000_ksettings_advertising(const struct ethtool_link_ksettings *ks,
				 u32 *legacy);

void re1000_pause_stats_set(struct ethtool_pause_stats *stats, u64 tx, u64 rx);

/* deferred work */
void re1000_init_work(struct work_struct *work, work_func_t func);
int re1000_schedule_work(struct work_struct *work);
void re1000_init_delayed_work(struct delayed_work *dwork, work_func_t func);
int re1000_schedule_delayed_work(struct delayed_work *dwork, unsigned int ms);

/* Sleeping (7.x's kernel crate has its own; 6.12's compat layer calls these) */
void re1000_fsleep(unsigned long usecs);
void re1000_might_sleep(void);

/* NAPI */
void re1000_netif_napi_add(struct net_device *dev, struct napi_struct *napi,
			   int (*poll)(struct napi_struct *, int));
void re1000_netif_napi_del(struct napi_struct *napi);
void re1000_napi_schedule(struct napi_struct *napi);
void re1000_napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb);
struct net_device *re1000_napi_dev(struct napi_struct *napi);
void re1000_napi_link_queue0(struct net_device *dev, struct napi_struct *napi,
			     int irq);

/* sk_buff */
struct re1000_tso_info {
	u16 network_offset;
	u16 transport_offset;
	u16 hdr_len;
	u16 mss;
	u16 segs;
	u8 ipv4;
};

int re1000_skb_tso_prepare(struct sk_buff *skb, struct re1000_tso_info *info);
int re1000_skb_csum_partial(struct sk_buff *skb);
unsigned int re1000_skb_csum_start(struct sk_buff *skb);
unsigned int re1000_skb_csum_offset(struct sk_buff *skb);
unsigned int re1000_skb_gso_size(struct sk_buff *skb);
int re1000_skb_tso_headers(const struct sk_buff *skb, u32 *transport_offset,
			   u32 *hdr_len);
netdev_features_t re1000_vlan_features_check(struct sk_buff *skb,
					     netdev_features_t features);
unsigned char *re1000_skb_data(struct sk_buff *skb);
unsigned int re1000_skb_len(struct sk_buff *skb);
unsigned int re1000_skb_headlen(struct sk_buff *skb);
unsigned int re1000_skb_tailroom(struct sk_buff *skb);
unsigned int re1000_skb_writable_tailroom(struct sk_buff *skb);
int re1000_skb_exclusive(struct sk_buff *skb);
void re1000_skb_add_pp_frag(struct sk_buff *skb, struct page *page,
			    unsigned int off, unsigned int size);

/* Page pools */
struct page_pool *re1000_page_pool_create(struct device *dev,
					  struct net_device *netdev,
					  unsigned int size, unsigned int order,
					  unsigned int offset, unsigned int max_len,
					  bool tx, int *err);
void re1000_page_pool_destroy(struct page_pool *pool);
struct page *re1000_page_pool_alloc(struct page_pool *pool, int may_sleep);
dma_addr_t re1000_page_pool_dma_addr(struct page *page);
void re1000_page_pool_sync_for_cpu(struct page_pool *pool, struct page *page,
				   unsigned int len);
void re1000_page_pool_put(struct page_pool *pool, struct page *page);
void re1000_page_pool_recycle_direct(struct page_pool *pool, struct page *page);
void *re1000_page_address(struct page *page);
struct sk_buff *re1000_pp_build_skb(struct page *page, unsigned int off,
				    unsigned int len);
unsigned int re1000_skb_nr_frags(struct sk_buff *skb);
void re1000_skb_tx_timestamp(struct sk_buff *skb);
int re1000_skb_vlan_tag(struct sk_buff *skb);
void re1000_skb_put_vlan_tag(struct sk_buff *skb, u16 tci);
void re1000_skb_free_any(struct sk_buff *skb);
void re1000_skb_set_protocol(struct sk_buff *skb, __be16 proto);
int re1000_skb_padto(struct sk_buff *skb, unsigned int len);

/* XDP */
int re1000_netdev_bpf_command(const struct netdev_bpf *bpf);
struct bpf_prog *re1000_netdev_bpf_prog(const struct netdev_bpf *bpf);
struct netlink_ext_ack *re1000_netdev_bpf_extack(const struct netdev_bpf *bpf);
void re1000_extack_set_msg(struct netlink_ext_ack *extack, const char *msg);
void re1000_bpf_prog_inc(struct bpf_prog *prog);
void re1000_bpf_prog_put(struct bpf_prog *prog);
struct xdp_rxq_info *re1000_xdp_rxq_new(struct net_device *dev, u32 queue,
					struct page_pool *pool, u32 frag_size,
					int *err);
void re1000_xdp_rxq_free(struct xdp_rxq_info *rxq);
/* A receive buffer after a frame's first: its page and bytes in it. */
struct re1000_xdp_frag {
	struct page *page;
	u32 off;
	u32 len;
};
bool re1000_bpf_prog_xdp_has_frags(const struct bpf_prog *prog);
u32 re1000_xdp_run(struct net_device *dev, struct napi_struct *napi,
		   struct bpf_prog *prog, struct xdp_rxq_info *rxq,
		   struct page *page, u32 *off, u32 *len, u32 *meta,
		   struct re1000_xdp_frag *frags, u32 *nr_frags);
void re1000_xdp_exception(struct net_device *dev, struct bpf_prog *prog,
			  u32 act);
void re1000_xdp_do_flush(void);
void re1000_page_pool_sync_range_for_cpu(struct page_pool *pool,
					 struct page *page, u32 off, u32 len);
void re1000_skb_metadata_set(struct sk_buff *skb, u32 meta);
dma_addr_t re1000_page_pool_sync_for_device(struct page_pool *pool,
					    struct page *page, u32 off, u32 len);
void re1000_netdev_set_xdp_basic(struct net_device *dev, bool ndo_xmit,
				 bool rx_sg, bool xmit_sg);
bool re1000_netif_tx_lock_xdp_xmit(struct net_device *dev);
void *re1000_xdp_frame_data(const struct xdp_frame *frame);
u32 re1000_xdp_frame_len(const struct xdp_frame *frame);
bool re1000_xdp_frame_has_frags(const struct xdp_frame *frame);
u32 re1000_xdp_frame_nr_frags(struct xdp_frame *frame);
u32 re1000_xdp_frame_total_len(const struct xdp_frame *frame);
u32 re1000_xdp_frame_frag_len(struct xdp_frame *frame, u32 index);
dma_addr_t re1000_dma_map_xdp_frag(struct device *dev,
				   struct xdp_frame *frame, u32 index,
				   unsigned int *len);
void re1000_xdp_return_frame(struct xdp_frame *frame);

#endif /* RE1000_HELPERS_H */
