// SPDX-License-Identifier: GPL-2.0
/*
 * re1000's C helpers: each wraps one static inline function or macro of the
 * kernel so that the Rust layer can call it through its generated bindings.
 * They hold no logic of their own.
 */
#include <linux/bpf_trace.h>
#include <linux/error-injection.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/ip6_checksum.h>
#include "helpers.h"

u32 re1000_readl(const void __iomem *addr)
{
	return readl(addr);
}

void re1000_writel(u32 value, void __iomem *addr)
{
	writel(value, addr);
}

void re1000_dma_rmb(void)
{
	dma_rmb();
}

void re1000_dma_wmb(void)
{
	dma_wmb();
}

int re1000_pci_register_driver(struct pci_driver *drv)
{
	return pci_register_driver(drv);
}

void re1000_pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	pci_set_drvdata(pdev, data);
}

void *re1000_pci_get_drvdata(struct pci_dev *pdev)
{
	return pci_get_drvdata(pdev);
}

struct pci_dev *re1000_to_pci_dev(struct device *dev)
{
	return to_pci_dev(dev);
}

/* The devres action of re1000_pci_enable_managed(): a resume that failed to
 * enable the device again leaves it disabled, and disabling it twice warns.
 */
static void re1000_pci_disable_action(void *pdev)
{
	re1000_pci_disable(pdev);
}

int re1000_pci_enable_managed(struct pci_dev *pdev)
{
	int err;

	if (pci_is_enabled(pdev))
		return 0;
	err = pci_enable_device(pdev);
	if (err)
		return err;
	return devm_add_action_or_reset(&pdev->dev, re1000_pci_disable_action,
					pdev);
}

void re1000_pci_disable(struct pci_dev *pdev)
{
	if (pci_is_enabled(pdev))
		pci_disable_device(pdev);
}

int re1000_pci_reenable(struct pci_dev *pdev)
{
	if (pci_is_enabled(pdev))
		return 0;
	return pci_enable_device(pdev);
}

int re1000_pci_request_region(struct pci_dev *pdev, int bar, const char *name)
{
	return pci_request_region(pdev, bar, name);
}

void re1000_pci_release_region(struct pci_dev *pdev, int bar)
{
	pci_release_region(pdev, bar);
}

/* The resources a PCI probe acquires through devres form one group, named
 * by the device, released at the end of remove: before the PCI core frees
 * the device's interrupt routing (pcibios_free_irq), as a driver without
 * devres releases them in its remove.
 */
int re1000_devres_open_group(struct device *dev)
{
	return devres_open_group(dev, dev, GFP_KERNEL) ? 0 : -ENOMEM;
}

void re1000_devres_close_group(struct device *dev)
{
	devres_close_group(dev, dev);
}

void re1000_devres_release_group(struct device *dev)
{
	devres_release_group(dev, dev);
}

int re1000_devm_add_action_or_reset(struct device *dev, void (*action)(void *),
				    void *data)
{
	return devm_add_action_or_reset(dev, action, data);
}

struct device *re1000_pci_dev(struct pci_dev *pdev)
{
	return &pdev->dev;
}

unsigned long re1000_pci_resource_len(struct pci_dev *pdev, int bar)
{
	return pci_resource_len(pdev, bar);
}

unsigned long re1000_pci_resource_flags(struct pci_dev *pdev, int bar)
{
	return pci_resource_flags(pdev, bar);
}

unsigned int re1000_pci_irq(struct pci_dev *pdev)
{
	return pdev->irq;
}

bool re1000_pci_can_wakeup(struct pci_dev *pdev)
{
	return device_can_wakeup(&pdev->dev);
}

int re1000_pci_set_wakeup(struct pci_dev *pdev, bool on)
{
	return device_set_wakeup_enable(&pdev->dev, on);
}

void *re1000_dev_get_drvdata(struct device *dev)
{
	return dev_get_drvdata(dev);
}

void re1000_pci_prepare_power_off(struct pci_dev *pdev, bool wake)
{
	if (system_state == SYSTEM_POWER_OFF) {
		pci_wake_from_d3(pdev, wake);
		pci_set_power_state(pdev, PCI_D3hot);
	}
}

const char *re1000_pci_name(struct pci_dev *pdev)
{
	return pci_name(pdev);
}

u16 re1000_pci_device_id(struct pci_dev *pdev)
{
	return pdev->device;
}

int re1000_dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	return dma_set_mask_and_coherent(dev, mask);
}

void *re1000_dma_alloc_coherent(struct device *dev, size_t size,
				dma_addr_t *handle)
{
	return dma_alloc_coherent(dev, size, handle, GFP_KERNEL);
}

void re1000_dma_free_coherent(struct device *dev, size_t size, void *cpu,
			      dma_addr_t handle)
{
	dma_free_coherent(dev, size, cpu, handle);
}

static enum dma_data_direction re1000_dir(int to_device)
{
	return to_device ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
}

dma_addr_t re1000_dma_map_single(struct device *dev, void *ptr, size_t size,
				 int to_device)
{
	return dma_map_single(dev, ptr, size, re1000_dir(to_device));
}

void re1000_dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
			     int to_device)
{
	dma_unmap_single(dev, addr, size, re1000_dir(to_device));
}

/* rust/dma.rs (TX_MAX_BUFS) and drivers/tx.rs assume this many fragments. */
static_assert(MAX_SKB_FRAGS == 17, "rust/dma.rs assumes MAX_SKB_FRAGS 17");

/* Maps fragment index of skb; an empty one is not mapped (*len is 0). */
dma_addr_t re1000_dma_map_frag(struct device *dev, struct sk_buff *skb,
			       unsigned int index, unsigned int *len)
{
	const skb_frag_t *frag = &skb_shinfo(skb)->frags[index];

	*len = skb_frag_size(frag);
	if (!*len)
		return 0;
	return skb_frag_dma_map(dev, frag, 0, *len, DMA_TO_DEVICE);
}

void re1000_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size)
{
	dma_unmap_page(dev, addr, size, DMA_TO_DEVICE);
}

int re1000_dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	return dma_mapping_error(dev, addr);
}

int re1000_request_irq(unsigned int irq, irq_handler_t handler,
		       const char *name, void *dev_id)
{
	return request_irq(irq, handler, IRQF_SHARED, name, dev_id);
}

struct net_device *re1000_alloc_etherdev(int priv_size)
{
	return alloc_etherdev(priv_size);
}

void re1000_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

void re1000_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

void *re1000_netdev_priv(struct net_device *dev)
{
	return netdev_priv(dev);
}

void re1000_netdev_set_parent(struct net_device *dev, struct device *parent)
{
	SET_NETDEV_DEV(dev, parent);
}

void re1000_netdev_set_ops(struct net_device *dev,
			   const struct net_device_ops *ops,
			   const struct ethtool_ops *ethtool_ops,
			   const struct netdev_stat_ops *stat_ops)
{
	dev->netdev_ops = ops;
	dev->ethtool_ops = ethtool_ops;
	dev->stat_ops = stat_ops;
}

void re1000_netdev_set_features(struct net_device *dev, u64 features,
				u64 hw_features, u64 vlan_features)
{
	dev->features = features;
	dev->hw_features = hw_features;
	dev->vlan_features = vlan_features;
}

u64 re1000_netdev_features(struct net_device *dev)
{
	return dev->features;
}

void re1000_netdev_set_mtu_range(struct net_device *dev, unsigned int min,
				 unsigned int max)
{
	dev->min_mtu = min;
	dev->max_mtu = max;
}

unsigned int re1000_netdev_mtu(struct net_device *dev)
{
	return READ_ONCE(dev->mtu);
}

void re1000_netdev_set_mtu(struct net_device *dev, unsigned int mtu)
{
	WRITE_ONCE(dev->mtu, mtu);
}

void re1000_netdev_set_watchdog(struct net_device *dev, int timeo)
{
	dev->watchdog_timeo = timeo;
}

void re1000_netdev_set_irq(struct net_device *dev, int irq)
{
	dev->irq = irq;
}

unsigned int re1000_netdev_flags(struct net_device *dev)
{
	return READ_ONCE(dev->flags);
}

const char *re1000_netdev_name(struct net_device *dev)
{
	return dev->name;
}

void re1000_netdev_set_addr(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}

void re1000_netdev_addr(struct net_device *dev, u8 *addr)
{
	ether_addr_copy(addr, dev->dev_addr);
}

void re1000_netdev_set_priv_flag_unicast_flt(struct net_device *dev)
{
	dev->priv_flags |= IFF_UNICAST_FLT;
}

/*
 * Takes dev's address list lock, unless this context may not take it:
 * in hard interrupt context it could interrupt its holder on this CPU, and
 * with interrupts off netif_addr_unlock_bh() would run softirqs there.
 */
int re1000_netif_addr_lock(struct net_device *dev)
{
	if (in_hardirq() || in_nmi() || irqs_disabled())
		return -EBUSY;
	netif_addr_lock_bh(dev);
	return 0;
}

void re1000_netif_addr_unlock(struct net_device *dev)
{
	netif_addr_unlock_bh(dev);
}

/* The caller holds the address list lock (ndo_set_rx_mode, or the above). */
int re1000_netdev_mc_addrs(struct net_device *dev, u8 *out, int max)
{
	struct netdev_hw_addr *ha;
	int n = 0;

	lockdep_assert_held(&dev->addr_list_lock);
	netdev_for_each_mc_addr(ha, dev) {
		if (n < max)
			ether_addr_copy(out + n * ETH_ALEN, ha->addr);
		n++;
	}
	return n;
}

void re1000_sockaddr_mac(const void *sockaddr, u8 *mac)
{
	const struct sockaddr *sa = sockaddr;

	ether_addr_copy(mac, sa->sa_data);
}

void re1000_random_mac(u8 *mac)
{
	eth_random_addr(mac);
}

bool re1000_is_valid_ether_addr(const u8 *mac)
{
	/* is_valid_ether_addr() needs 16-bit alignment; @mac may lack it. */
	u8 addr[ETH_ALEN] __aligned(2);

	memcpy(addr, mac, ETH_ALEN);
	return is_valid_ether_addr(addr);
}

int re1000_netif_xmit_stopped(struct net_device *dev)
{
	return netif_xmit_stopped(netdev_get_tx_queue(dev, 0));
}

void re1000_init_work(struct work_struct *work, work_func_t func)
{
	INIT_WORK(work, func);
}

int re1000_schedule_work(struct work_struct *work)
{
	return schedule_work(work);
}

void re1000_init_delayed_work(struct delayed_work *dwork, work_func_t func)
{
	INIT_DELAYED_WORK(dwork, func);
}

int re1000_schedule_delayed_work(struct delayed_work *dwork, unsigned int ms)
{
	return schedule_delayed_work(dwork, msecs_to_jiffies(ms));
}

/* The caller holds the address list lock, as for the multicast list. */
int re1000_netdev_uc_addrs(struct net_device *dev, u8 *out, int max)
{
	struct netdev_hw_addr *ha;
	int n = 0;

	lockdep_assert_held(&dev->addr_list_lock);
	netdev_for_each_uc_addr(ha, dev) {
		if (n < max)
			ether_addr_copy(out + n * ETH_ALEN, ha->addr);
		n++;
	}
	return n;
}

int re1000_netdev_running(struct net_device *dev)
{
	return netif_running(dev);
}

void re1000_netif_start_queue(struct net_device *dev)
{
	netif_start_queue(dev);
}

void re1000_netif_stop_queue(struct net_device *dev)
{
	netif_stop_queue(dev);
}

void re1000_netif_wake_queue(struct net_device *dev)
{
	netif_wake_queue(dev);
}

int re1000_netif_queue_stopped(struct net_device *dev)
{
	return netif_queue_stopped(dev);
}

void re1000_netif_tx_disable(struct net_device *dev)
{
	netif_tx_disable(dev);
}

/*
 * The transmit lock of the device's one queue, not netif_tx_lock(): that is
 * the device-wide tx_global_lock, which dev_watchdog holds while it prints
 * and calls ndo_tx_timeout, and netconsole may then poll this device on the
 * same CPU. netpoll never polls while this CPU holds the queue's lock.
 */
void re1000_netif_tx_lock(struct net_device *dev)
{
	__netif_tx_lock_bh(netdev_get_tx_queue(dev, 0));
}

void re1000_netif_tx_unlock(struct net_device *dev)
{
	__netif_tx_unlock_bh(netdev_get_tx_queue(dev, 0));
}

/* From the NAPI poll, where bottom halves are already off. */
void re1000_netif_tx_lock_in_poll(struct net_device *dev)
{
	__netif_tx_lock(netdev_get_tx_queue(dev, 0), smp_processor_id());
}

/*
 * The queue's transmit lock, unless this CPU holds it already (false then,
 * and the caller must not unlock): bottom halves off, so the owner field
 * names this CPU only while this CPU's holder runs.
 */
bool re1000_netif_tx_lock_in_poll_unless_held(struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	int cpu = smp_processor_id();

	if (READ_ONCE(txq->xmit_lock_owner) == cpu)
		return false;
	__netif_tx_lock(txq, cpu);
	return true;
}

void re1000_netif_tx_unlock_in_poll(struct net_device *dev)
{
	__netif_tx_unlock(netdev_get_tx_queue(dev, 0));
}

void re1000_netif_trans_update(struct net_device *dev)
{
	netif_trans_update(dev);
}

void re1000_netdev_sent_queue(struct net_device *dev, unsigned int bytes)
{
	netdev_sent_queue(dev, bytes);
}

void re1000_netdev_completed_queue(struct net_device *dev, unsigned int pkts,
				   unsigned int bytes)
{
	netdev_completed_queue(dev, pkts, bytes);
}

void re1000_netdev_reset_queue(struct net_device *dev)
{
	netdev_reset_queue(dev);
}

int re1000_netdev_xmit_more(void)
{
	return netdev_xmit_more();
}

int re1000_netif_device_present(struct net_device *dev)
{
	return netif_device_present(dev);
}

int re1000_netif_carrier_ok(struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

void re1000_netif_napi_add(struct net_device *dev, struct napi_struct *napi,
			   int (*poll)(struct napi_struct *, int))
{
	netif_napi_add(dev, napi, poll);
}

void re1000_netif_napi_del(struct napi_struct *napi)
{
	netif_napi_del(napi);
}

void re1000_napi_schedule(struct napi_struct *napi)
{
	napi_schedule(napi);
}

void re1000_fsleep(unsigned long usecs)
{
	fsleep(usecs);
}

void re1000_might_sleep(void)
{
	might_sleep();
}

/* An inline wrapper of gro_receive_skb() since 6.15. */
void re1000_napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb)
{
	napi_gro_receive(napi, skb);
}

struct net_device *re1000_napi_dev(struct napi_struct *napi)
{
	return napi->dev;
}

void re1000_napi_link_queue0(struct net_device *dev, struct napi_struct *napi,
			     int irq)
{
	netif_queue_set_napi(dev, 0, NETDEV_QUEUE_TYPE_RX, napi);
	netif_queue_set_napi(dev, 0, NETDEV_QUEUE_TYPE_TX, napi);
	if (napi)
		netif_napi_set_irq(napi, irq);
}

unsigned char *re1000_skb_data(struct sk_buff *skb)
{
	return skb->data;
}

unsigned int re1000_skb_len(struct sk_buff *skb)
{
	return skb->len;
}

unsigned int re1000_skb_headlen(struct sk_buff *skb)
{
	return skb_headlen(skb);
}

unsigned int re1000_skb_tailroom(struct sk_buff *skb)
{
	return skb_tailroom(skb);
}

int re1000_skb_exclusive(struct sk_buff *skb)
{
	return !skb_shared(skb) && !skb_cloned(skb);
}

/* Tailroom this sk_buff alone may write: none if shared or cloned. */
unsigned int re1000_skb_writable_tailroom(struct sk_buff *skb)
{
	return re1000_skb_exclusive(skb) ? skb_tailroom(skb) : 0;
}

/*
 * Adds bytes off..off + size of a pool page as the next fragment (truesize:
 * the page, of its order); the sk_buff, marked for recycling, gives it back
 * to its pool.
 */
void re1000_skb_add_pp_frag(struct sk_buff *skb, struct page *page,
			    unsigned int off, unsigned int size)
{
	skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, off, size,
			page_size(page));
	skb_mark_for_recycle(skb);
}

/*
 * Page pools (include/net/page_pool/). A pool maps its pages (of @order,
 * compound above 0) DMA_FROM_DEVICE, or DMA_BIDIRECTIONAL if @tx (XDP_TX
 * sends frames from them), and syncs offset..offset + max_len for the
 * device when it hands one out; it has no NAPI instance (see
 * rust/page_pool.rs).
 *
 * The pool is listed on @netdev (netdev netlink's page-pool-get) only if the
 * device is registered once the pool is listed: unregistering sets
 * NETREG_UNREGISTERING before its NETDEV_UNREGISTER notifier moves the
 * device's pools to loopback under page_pools_lock, the lock the listing
 * takes too. If the notifier's section came first, its state write is seen
 * here (through that lock) and the pool, which it missed, is made again
 * unlisted; otherwise the notifier comes later and moves it. A pool can
 * thus never keep a pointer to a freed net_device, whoever calls this.
 */
struct page_pool *re1000_page_pool_create(struct device *dev,
					  struct net_device *netdev,
					  unsigned int size, unsigned int order,
					  unsigned int offset, unsigned int max_len,
					  bool tx, int *err)
{
	struct page_pool_params pp = {
		.flags = PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV,
		.order = order,
		.pool_size = size,
		.nid = NUMA_NO_NODE,
		.dev = dev,
		.dma_dir = tx ? DMA_BIDIRECTIONAL : DMA_FROM_DEVICE,
		.offset = offset,
		.max_len = max_len,
		.netdev = netdev,
	};
	struct page_pool *pool = page_pool_create(&pp);

	if (!IS_ERR(pool) && READ_ONCE(netdev->reg_state) != NETREG_REGISTERED) {
		page_pool_destroy(pool);
		pp.netdev = NULL;
		pool = page_pool_create(&pp);
	}
	if (IS_ERR(pool)) {
		*err = PTR_ERR(pool);
		return NULL;
	}
	return pool;
}

void re1000_page_pool_destroy(struct page_pool *pool)
{
	page_pool_destroy(pool);
}

/*
 * A page for the device (GFP_KERNEL when filling a new ring). Failures can
 * be injected here (fail_function) to starve re1000's rings alone: the
 * kernel's own point, page_pool_alloc_netmems, starves every page pool's
 * user, virtio-net's too (qemu/tests/47-rx-starved-backoff.sh).
 */
noinline struct page *re1000_page_pool_alloc(struct page_pool *pool,
					     int may_sleep)
{
	return page_pool_alloc_pages(pool, may_sleep ? GFP_KERNEL :
				     GFP_ATOMIC | __GFP_NOWARN);
}
ALLOW_ERROR_INJECTION(re1000_page_pool_alloc, NULL);

dma_addr_t re1000_page_pool_dma_addr(struct page *page)
{
	return page_pool_get_dma_addr(page);
}

/* Syncs @len bytes from the pool's offset for the CPU. */
void re1000_page_pool_sync_for_cpu(struct page_pool *pool, struct page *page,
				   unsigned int len)
{
	page_pool_dma_sync_for_cpu(pool, page, 0, len);
}

/*
 * Gives a page back to its pool. The pool's ring lock is taken with bottom
 * halves off, which hard interrupt context or interrupts off do not allow:
 * there the page is leaked, loudly, rather than risking a deadlock.
 */
void re1000_page_pool_put(struct page_pool *pool, struct page *page)
{
	if (WARN_ON_ONCE(in_hardirq() || irqs_disabled()))
		return;
	page_pool_put_full_page(pool, page, false);
}

/* Into the pool's lockless cache: only its one consumer may do this. */
void re1000_page_pool_recycle_direct(struct page_pool *pool, struct page *page)
{
	page_pool_recycle_direct(pool, page);
}

void *re1000_page_address(struct page *page)
{
	return page_address(page);
}

/*
 * An sk_buff around a pool page whose bytes off..off + len hold a frame
 * (NAPI context): its head is the page (of any order), its skb_shared_info
 * at the page's end; freed, the page goes back to its pool. NULL (the page
 * still the caller's) if no sk_buff could be had.
 */
struct sk_buff *re1000_pp_build_skb(struct page *page, unsigned int off,
				    unsigned int len)
{
	struct sk_buff *skb = napi_build_skb(page_address(page), page_size(page));

	if (!skb)
		return NULL;
	/*
	 * napi_build_skb() clears skb_shared_info up to dataref only; an XDP
	 * run may have left xdp_frags_truesize (7.x: a union with it) here.
	 */
	skb_shinfo(skb)->destructor_arg = NULL;
	skb_mark_for_recycle(skb);
	skb_reserve(skb, off);
	__skb_put(skb, len);
	return skb;
}

unsigned int re1000_skb_nr_frags(struct sk_buff *skb)
{
	return skb_shinfo(skb)->nr_frags;
}

void re1000_skb_tx_timestamp(struct sk_buff *skb)
{
	skb_tx_timestamp(skb);
}

int re1000_skb_vlan_tag(struct sk_buff *skb)
{
	return skb_vlan_tag_present(skb) ? skb_vlan_tag_get(skb) : -1;
}

void re1000_skb_put_vlan_tag(struct sk_buff *skb, u16 tci)
{
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
}

void re1000_skb_free_any(struct sk_buff *skb)
{
	dev_kfree_skb_any(skb);
}

void re1000_skb_set_protocol(struct sk_buff *skb, __be16 proto)
{
	skb->protocol = proto;
}

int re1000_skb_padto(struct sk_buff *skb, unsigned int len)
{
	return skb_put_padto(skb, len);
}

/*
 * The header preparation every TSO driver does before handing a GSO frame
 * to its device (as the C e1000's e1000_tso()): make the headers writable,
 * zero the IPv4 length and checksum, seed the TCP checksum with the
 * pseudo-header, and report where everything is.
 */
int re1000_skb_tso_prepare(struct sk_buff *skb, struct re1000_tso_info *info)
{
	__be16 protocol = vlan_get_protocol(skb);
	int err;

	if (!skb_is_gso(skb))
		return -EINVAL;
	err = skb_cow_head(skb, 0);
	if (err < 0)
		return err;
	if (protocol == htons(ETH_P_IP) &&
	    (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4)) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = 0;
		iph->check = 0;
		tcp_hdr(skb)->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr,
							 0, IPPROTO_TCP, 0);
		info->ipv4 = 1;
	} else if (skb_is_gso_v6(skb)) {
		tcp_v6_gso_csum_prep(skb);
		info->ipv4 = 0;
	} else {
		return -EINVAL;
	}
	info->network_offset = skb_network_offset(skb);
	info->transport_offset = skb_transport_offset(skb);
	info->hdr_len = skb_tcp_all_headers(skb);
	info->mss = skb_shinfo(skb)->gso_size;
	info->segs = skb_shinfo(skb)->gso_segs;
	return 0;
}

int re1000_skb_tso_headers(const struct sk_buff *skb, u32 *transport_offset,
			   u32 *hdr_len)
{
	unsigned int thoff;

	if (!skb_is_gso(skb) ||
	    !(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)))
		return -EINVAL;
	thoff = skb_transport_offset(skb);
	/* tcp_hdrlen() reads the header: it must be in the linear part. */
	if (thoff + sizeof(struct tcphdr) > skb_headlen(skb))
		return -EINVAL;
	*transport_offset = thoff;
	*hdr_len = skb_tcp_all_headers(skb);
	return 0;
}

netdev_features_t re1000_vlan_features_check(struct sk_buff *skb,
					     netdev_features_t features)
{
	return vlan_features_check(skb, features);
}

int re1000_skb_csum_partial(struct sk_buff *skb)
{
	return skb->ip_summed == CHECKSUM_PARTIAL;
}

unsigned int re1000_skb_csum_start(struct sk_buff *skb)
{
	return skb_checksum_start_offset(skb);
}

unsigned int re1000_skb_csum_offset(struct sk_buff *skb)
{
	return skb->csum_offset;
}

unsigned int re1000_skb_gso_size(struct sk_buff *skb)
{
	return skb_is_gso(skb) ? skb_shinfo(skb)->gso_size : 0;
}

void re1000_ksettings_fill(struct ethtool_link_ksettings *ks, u32 supported,
			   u32 advertising, u32 speed, u8 full_duplex,
			   u8 autoneg, u8 link_up)
{
	ethtool_convert_legacy_u32_to_link_mode(ks->link_modes.supported,
						supported);
	ethtool_convert_legacy_u32_to_link_mode(ks->link_modes.advertising,
						advertising);
	ks->base.port = PORT_TP;
	ks->base.phy_address = 1;
	ks->base.autoneg = autoneg ? AUTONEG_ENABLE : AUTONEG_DISABLE;
	ks->base.eth_tp_mdix = ETH_TP_MDI_INVALID;
	ks->base.eth_tp_mdix_ctrl = ETH_TP_MDI_INVALID;
	if (link_up) {
		ks->base.speed = speed;
		ks->base.duplex = full_duplex ? DUPLEX_FULL : DUPLEX_HALF;
	} else {
		ks->base.speed = SPEED_UNKNOWN;
		ks->base.duplex = DUPLEX_UNKNOWN;
	}
}

int re1000_ksettings_advertising(const struct ethtool_link_ksettings *ks,
				 u32 *legacy)
{
	return ethtool_convert_link_mode_to_legacy_u32(legacy,
						       ks->link_modes.advertising);
}

/*
 * Only a request for the aggregate of the MACs is answered, as the
 * standard statistics (rust/ethtool/std_stats.rs): the eMAC's and pMAC's
 * stay unset rather than each getting the aggregate.
 */
void re1000_pause_stats_set(struct ethtool_pause_stats *stats, u64 tx, u64 rx)
{
	if (stats->src != ETHTOOL_MAC_STATS_SRC_AGGREGATE)
		return;
	stats->tx_pause_frames = tx;
	stats->rx_pause_frames = rx;
}

/*
 * XDP (include/net/xdp.h, include/linux/filter.h). The two kernels differ
 * only in constness here: 7.3's xdp_do_redirect and
 * bpf_warn_invalid_xdp_action take a const bpf_prog, 6.12's a mutable one;
 * the helpers take a mutable one, which both accept.
 */
int re1000_netdev_bpf_command(const struct netdev_bpf *bpf)
{
	return bpf->command;
}

/* The program of XDP_SETUP_PROG (NULL: detach). */
struct bpf_prog *re1000_netdev_bpf_prog(const struct netdev_bpf *bpf)
{
	return bpf->prog;
}

struct netlink_ext_ack *re1000_netdev_bpf_extack(const struct netdev_bpf *bpf)
{
	return bpf->extack;
}

/*
 * NL_SET_ERR_MSG's effect for a message that is not a literal (the macro
 * copies its argument into a static array): @msg must be static.
 */
void re1000_extack_set_msg(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

void re1000_bpf_prog_inc(struct bpf_prog *prog)
{
	bpf_prog_inc(prog);
}

void re1000_bpf_prog_put(struct bpf_prog *prog)
{
	bpf_prog_put(prog);
}

/*
 * The receive queue @queue of @dev as XDP sees it, its buffers from @pool
 * (MEM_TYPE_PAGE_POOL: frames redirected elsewhere go back to the pool
 * when freed). Unregistered by re1000_xdp_rxq_free, before the pool is
 * destroyed.
 */
struct xdp_rxq_info *re1000_xdp_rxq_new(struct net_device *dev, u32 queue,
					struct page_pool *pool, u32 frag_size,
					int *err)
{
	struct xdp_rxq_info *rxq = kzalloc(sizeof(*rxq), GFP_KERNEL);

	if (!rxq) {
		*err = -ENOMEM;
		return NULL;
	}
	/*
	 * A fragment (a pool page after a frame's first) may grow its tail up
	 * to @frag_size, where the page's skb_shared_info room ends, as a head
	 * can: bpf_xdp_adjust_tail on a multi-buffer frame.
	 */
	*err = __xdp_rxq_info_reg(rxq, dev, queue, 0, frag_size);
	if (*err)
		goto free;
	*err = xdp_rxq_info_reg_mem_model(rxq, MEM_TYPE_PAGE_POOL, pool);
	if (*err)
		goto unreg;
	return rxq;
unreg:
	xdp_rxq_info_unreg(rxq);
free:
	kfree(rxq);
	return NULL;
}

void re1000_xdp_rxq_free(struct xdp_rxq_info *rxq)
{
	xdp_rxq_info_unreg(rxq);
	kfree(rxq);
}

bool re1000_bpf_prog_xdp_has_frags(const struct bpf_prog *prog)
{
	return prog->aux->xdp_has_frags;
}

/*
 * The frame's buffers after the first become the fragments of a
 * multi-buffer xdp_buff, in the head page's skb_shared_info (as mvneta's
 * mvneta_swbm_add_rx_fragment); each fragment's pool page reference moves
 * into it for the run.
 */
static void re1000_xdp_add_frags(struct xdp_buff *xdp,
				 const struct re1000_xdp_frag *frags, u32 nr)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);
	u32 i, size = 0;

	if (WARN_ON_ONCE(nr > MAX_SKB_FRAGS))
		nr = MAX_SKB_FRAGS;
	for (i = 0; i < nr; i++) {
		skb_frag_fill_page_desc(&sinfo->frags[i], frags[i].page,
					frags[i].off, frags[i].len);
		size += frags[i].len;
		if (page_is_pfmemalloc(frags[i].page))
			xdp_buff_set_frag_pfmemalloc(xdp);
	}
	sinfo->nr_frags = nr;
	sinfo->xdp_frags_size = size;
#ifndef RE1000_COMPAT_6_12
	/* A union with destructor_arg, which nothing cleared. */
	sinfo->xdp_frags_truesize = 0;
	for (i = 0; i < nr; i++)
		sinfo->xdp_frags_truesize += page_size(frags[i].page);
#endif
	xdp_buff_set_frags_flag(xdp);
}

/*
 * The fragments the frame has after the run, which the program may have
 * shortened or released (bpf_xdp_adjust_tail, bpf_xdp_pull_data: the
 * kernel gave those pages back to their pool): returns how many, listed in
 * frags[].
 */
static u32 re1000_xdp_frags_left(struct xdp_buff *xdp,
				 struct re1000_xdp_frag *frags)
{
	struct skb_shared_info *sinfo;
	u32 i, nr;

	if (!xdp_buff_has_frags(xdp))
		return 0;
	sinfo = xdp_get_shared_info_from_buff(xdp);
	nr = min_t(u32, sinfo->nr_frags, MAX_SKB_FRAGS);
	for (i = 0; i < nr; i++) {
		frags[i].page = skb_frag_page(&sinfo->frags[i]);
		frags[i].off = skb_frag_off(&sinfo->frags[i]);
		frags[i].len = skb_frag_size(&sinfo->frags[i]);
	}
	return nr;
}

/*
 * Runs @prog on the frame at *@off (*@len bytes) of a pool page (NAPI
 * context), the page's whole size (of its order) its frame (headroom in
 * front, room for skb_shared_info at the end); on return *@off, *@len and *@meta (bytes of
 * metadata in front of the frame) are what the program left. Pages the
 * core frees meanwhile go back to their pool without its lockless cache,
 * which belongs to the caller. XDP_REDIRECT
 * is carried out here, with the xdp_buff the program saw: it stays
 * XDP_REDIRECT if the frame went (an xdp_do_flush is owed), else becomes
 * XDP_ABORTED (traced; the page is still the caller's). An unknown action
 * is warned about and becomes XDP_ABORTED, traced. XDP_TX is returned
 * untraced: the caller sends the frame or traces it. @napi is the instance
 * whose poll this is, and @rxq belongs to that poll alone.
 *
 * @frags lists the frame's other buffers (*@nr_frags of them, at most
 * MAX_SKB_FRAGS; @frags may be NULL if there are none): pool pages of one
 * buffer each, whose references the xdp_buff holds for the run as its
 * fragments. On return @frags lists the fragments the frame still has
 * (*@nr_frags of them: the program may have shortened or released some,
 * the kernel giving those pages back to their pool), or none after
 * XDP_REDIRECT, when the target owns every page.
 */
u32 re1000_xdp_run(struct net_device *dev, struct napi_struct *napi,
		   struct bpf_prog *prog, struct xdp_rxq_info *rxq,
		   struct page *page, u32 *off, u32 *len, u32 *meta,
		   struct re1000_xdp_frag *frags, u32 *nr_frags)
{
	unsigned char *hard = page_address(page);
	bool direct = !xdp_return_frame_no_direct();
	struct xdp_buff xdp;
	u32 act;

#ifdef RE1000_COMPAT_6_12
	/*
	 * 6.x's AF_XDP gives a socket the NAPI id of the first frame it
	 * receives, from the frame's xdp_rxq_info (7.x takes it from the
	 * queue's NAPI instance at bind). The queue is registered with its
	 * pool, before the instance is enabled: the id is the poll's own.
	 */
	if (unlikely(rxq->napi_id != napi->napi_id))
		rxq->napi_id = napi->napi_id;
#endif

	/* Pages the core frees meanwhile skip the pool's lockless cache. */
	if (direct)
		xdp_set_return_frame_no_direct();
	xdp_init_buff(&xdp, page_size(page), rxq);
	xdp_prepare_buff(&xdp, hard, *off, *len, true);
	if (frags && *nr_frags)
		re1000_xdp_add_frags(&xdp, frags, *nr_frags);
	act = bpf_prog_run_xdp(prog, &xdp);
	*off = (unsigned char *)xdp.data - hard;
	*len = (unsigned char *)xdp.data_end - (unsigned char *)xdp.data;
	*meta = (unsigned char *)xdp.data - (unsigned char *)xdp.data_meta;
	switch (act) {
	case XDP_PASS:
	case XDP_DROP:
	case XDP_TX:
		break;
	case XDP_REDIRECT:
		if (!xdp_do_redirect(dev, &xdp, prog))
			break;
		trace_xdp_exception(dev, prog, act);
		act = XDP_ABORTED;
		break;
	default:
		bpf_warn_invalid_xdp_action(dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(dev, prog, act);
		act = XDP_ABORTED;
		break;
	}
	if (frags)
		*nr_frags = act == XDP_REDIRECT ? 0 : re1000_xdp_frags_left(&xdp, frags);
	else
		*nr_frags = 0;
	if (direct)
		xdp_clear_return_frame_no_direct();
	return act;
}

void re1000_xdp_exception(struct net_device *dev, struct bpf_prog *prog,
			  u32 act)
{
	trace_xdp_exception(dev, prog, act);
}

/* Frames the flush frees (a full target queue) skip the lockless cache. */
void re1000_xdp_do_flush(void)
{
	bool direct = !xdp_return_frame_no_direct();

	if (direct)
		xdp_set_return_frame_no_direct();
	xdp_do_flush();
	if (direct)
		xdp_clear_return_frame_no_direct();
}

/*
 * Syncs bytes @off..@off + @len of a pool page (from the page's start) for
 * the device to read, and returns their bus address (XDP_TX).
 */
dma_addr_t re1000_page_pool_sync_for_device(struct page_pool *pool,
					    struct page *page, u32 off, u32 len)
{
	dma_addr_t dma = page_pool_get_dma_addr(page);

	dma_sync_single_range_for_device(pool->p.dev, dma, off, len,
					 pool->p.dma_dir);
	return dma + off;
}

/* Syncs bytes @off..@off + @len of a pool page (from its start) for the CPU. */
void re1000_page_pool_sync_range_for_cpu(struct page_pool *pool,
					 struct page *page, u32 off, u32 len)
{
	dma_sync_single_range_for_cpu(pool->p.dev, page_pool_get_dma_addr(page),
				      off, len, pool->p.dma_dir);
}

/*
 * Before registration: XDP_PASS/DROP/ABORTED/TX and XDP_REDIRECT, and with
 * @ndo_xmit the device as a redirect target (ndo_xdp_xmit), with @xmit_sg
 * one of frames with fragments too.
 */
void re1000_netdev_set_xdp_basic(struct net_device *dev, bool ndo_xmit,
				 bool rx_sg, bool xmit_sg)
{
	dev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT;
	if (ndo_xmit)
		dev->xdp_features |= NETDEV_XDP_ACT_NDO_XMIT;
	if (ndo_xmit && xmit_sg)
		dev->xdp_features |= NETDEV_XDP_ACT_NDO_XMIT_SG;
	if (rx_sg)
		dev->xdp_features |= NETDEV_XDP_ACT_RX_SG;
}

/*
 * ndo_xdp_xmit: takes the transmit lock of @dev's queue for frames
 * redirected to it. The core calls ndo_xdp_xmit with bottom halves off
 * (a devmap's flush or full bulk queue, in a NAPI poll or a program run;
 * the cpumap kthread; BPF_PROG_RUN's live frames under local_bh_disable),
 * as __netif_tx_lock() needs; anywhere else, and where this CPU holds the
 * lock already (a redirect flushed under it), the frames are refused:
 * false, nothing taken.
 */
bool re1000_netif_tx_lock_xdp_xmit(struct net_device *dev)
{
	if (WARN_ON_ONCE(!in_softirq() || in_hardirq() || irqs_disabled()))
		return false;
	return re1000_netif_tx_lock_in_poll_unless_held(dev);
}

void *re1000_xdp_frame_data(const struct xdp_frame *frame)
{
	return frame->data;
}

u32 re1000_xdp_frame_len(const struct xdp_frame *frame)
{
	return frame->len;
}

bool re1000_xdp_frame_has_frags(const struct xdp_frame *frame)
{
	return xdp_frame_has_frags(frame);
}

/* The number of fragments after a redirected frame's linear part. */
u32 re1000_xdp_frame_nr_frags(struct xdp_frame *frame)
{
	if (!xdp_frame_has_frags(frame))
		return 0;
	return min_t(u32, xdp_get_shared_info_from_frame(frame)->nr_frags,
		     MAX_SKB_FRAGS);
}

/* A redirected frame's length, all its buffers together. */
u32 re1000_xdp_frame_total_len(const struct xdp_frame *frame)
{
	return xdp_get_frame_len(frame);
}

/* The size of fragment @index of a redirected frame; 0 past the last. */
u32 re1000_xdp_frame_frag_len(struct xdp_frame *frame, u32 index)
{
	if (index >= re1000_xdp_frame_nr_frags(frame))
		return 0;
	return skb_frag_size(&xdp_get_shared_info_from_frame(frame)->frags[index]);
}

/*
 * Maps fragment @index of a redirected frame (a page) for the device to
 * read; *len is its size. An empty fragment, or one past the last, is not
 * mapped (*len is 0). A fragment of a memory provider (net_iov), which a
 * real XDP frame never has, is not a page to map: a mapping error.
 */
dma_addr_t re1000_dma_map_xdp_frag(struct device *dev,
				   struct xdp_frame *frame, u32 index,
				   unsigned int *len)
{
	const skb_frag_t *frag;

	*len = re1000_xdp_frame_frag_len(frame, index);
	if (!*len)
		return 0;
	frag = &xdp_get_shared_info_from_frame(frame)->frags[index];
	if (WARN_ON_ONCE(skb_frag_is_net_iov(frag)))
		return DMA_MAPPING_ERROR;
	return skb_frag_dma_map(dev, frag, 0, *len, DMA_TO_DEVICE);
}

/*
 * Gives a redirected frame back to its memory (its page pool, or the page
 * allocator). A page pool's ring lock is taken with bottom halves off,
 * which hard interrupt context or interrupts off do not allow: there the
 * frame is leaked, loudly, rather than risking a deadlock.
 */
void re1000_xdp_return_frame(struct xdp_frame *frame)
{
	if (WARN_ON_ONCE(in_hardirq() || irqs_disabled()))
		return;
	xdp_return_frame(frame);
}

void re1000_skb_metadata_set(struct sk_buff *skb, u32 meta)
{
	if (meta)
		skb_metadata_set(skb, meta);
}
