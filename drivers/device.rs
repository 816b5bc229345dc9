//! The per-device state and the PCI probe that builds it.
//!
//! Probe order (undone in reverse by drops): enable the function, claim and
//! map BAR0, set the DMA mask and bus mastering, reset the device, read the
//! MAC address, allocate the net_device with its NAPI instance, register.

use crate::hw::eeprom;
use crate::hw::filter::{MtaTable, RAR_ENTRIES};
use crate::hw::itr::{Adaptive, RATE_DEFAULT};
use crate::hw::phy::Modes;
use crate::hw::regs::{Ledctl, BAR0_SIZE};
use crate::hw::ring::RingSize;
use crate::hw::rxbuf::{RxBuf, MAX_MTU, MIN_MTU};
use crate::hwinit::{self, Regs};
use crate::layer::dma;
use crate::layer::ethtool::{Pause, WakeOn};
use crate::layer::irq;
use crate::layer::napi::Napi;
use crate::layer::netdev::{Features, Registered, Registration};
use crate::layer::pci::{self, Bound, Core, DeviceId};
use crate::layer::work::{DelayedWork, Work};
use crate::layer::xdp::MultiBuffer;
use crate::rx::RxRing;
use crate::stats::{HwStats, SwStats};
use crate::tx::TxCleaner;
use core::sync::atomic::{AtomicBool, AtomicU32};
use kernel::prelude::*;
use kernel::sync::{new_mutex, new_spinlock, Mutex, SpinLock};

/// The driver's name, as the kernel and ethtool show it.
pub(crate) const NAME: &CStr = kernel::c_str!("re1000");
/// The driver's version.
pub(crate) const VERSION: &str = "0.1.0";
/// NETIF_MSG_DRV | NETIF_MSG_PROBE | NETIF_MSG_LINK, as the C driver.
const DEFAULT_MSGLEVEL: u32 = 0x7;
/// Transmit interrupt delay: none, unlike the C driver's TIDV of 8 (TADV
/// 32). The adaptive interrupt rate already spaces completions; where a
/// frame asks for the delay (IDE), QEMU instead shortens the interval after
/// the interrupt to TADV's, at least 128 us, whatever the rate: during a
/// TCP transmit that meant about 15 % more interrupts and no gain (see
/// Documentation/benchmarks.rst). `ethtool -C tx-usecs` sets one.
const DEFAULT_TX_USECS: u32 = 0;
/// Transmit watchdog: a queue stopped this long means the device is stuck.
const TX_TIMEOUT_MS: u32 = 5000;

/// Receive filters as written to the device.
#[derive(Default, PartialEq, Eq)]
pub(crate) struct RxFilters {
    /// The multicast hash table.
    pub(crate) mta: MtaTable,
    /// Receive address entries 1.. (entry 0 is the station address).
    pub(crate) unicast: [Option<[u8; 6]>; RAR_ENTRIES - 1],
}

/// What the NAPI poll owns while the interface is up.
pub(crate) struct NapiState<'bound> {
    /// Before `rx` (fields drop in order): the XDP_TX pages it still holds
    /// go back to the pool of `rx` before that pool is destroyed.
    pub(crate) tx: TxCleaner<'bound>,
    pub(crate) rx: RxRing<'bound>,
    /// The adaptive interrupt rate's view of the traffic.
    pub(crate) itr: Adaptive,
}

/// Settings and resources changed only under RTNL (open, stop, ethtool).
pub(crate) struct Config<'bound> {
    pub(crate) irq: Option<irq::Registration<Re1000<'bound>>>,
    pub(crate) rx_ring: RingSize,
    pub(crate) tx_ring: RingSize,
    /// The VLAN filter table as the stack asked for it (written at open).
    pub(crate) vfta: [u32; VFTA_WORDS],
    /// Flow control as `ethtool -A` asked for it.
    pub(crate) pause: Pause,
    /// The speed and duplex modes the PHY advertises (`ethtool -s
    /// advertise`), written at every open.
    pub(crate) advertise: Modes,
    /// Wake-on-LAN events armed by `ethtool -s wol`.
    pub(crate) wol: WakeOn,
    /// LEDCTL before `ethtool -p` took the LED over.
    pub(crate) ledctl_saved: Option<Ledctl>,
}

/// The job of `Re1000::reset_work`: reinitialise after a transmit timeout.
pub(crate) struct Reset;
/// The job of `Re1000::link_work`: settle flow control and report the link
/// after a link change.
pub(crate) struct LinkChange;
/// The job of `Re1000::watchdog`: accumulate the hardware statistics.
pub(crate) struct Watchdog;
/// How often the watchdog runs: the C driver's 2 s. The 32-bit packet
/// counters would take hours to wrap at QEMU's packet rates.
pub(crate) const WATCHDOG_MS: u32 = 2000;

/// Words in the VLAN filter table.
pub(crate) const VFTA_WORDS: usize = 128;

/// The state of one 82540EM, in its net_device's private area, for as long
/// as the PCI device is bound (`'bound`).
#[pin_data]
pub(crate) struct Re1000<'bound> {
    /// Recovery from a transmit timeout. The work items come first: they
    /// are cancelled (dropped) before NAPI, the interrupt line and the
    /// registers they use go.
    #[pin]
    pub(crate) reset_work: Work<Re1000<'bound>, Reset>,
    /// Link changes, handled under RTNL: the PHY is read through MDIC.
    #[pin]
    pub(crate) link_work: Work<Re1000<'bound>, LinkChange>,
    /// Folds the statistics registers into their 64-bit totals every
    /// `WATCHDOG_MS` while the interface is up, as the C driver's watchdog.
    #[pin]
    pub(crate) watchdog: DelayedWork<Re1000<'bound>, Watchdog>,
    #[pin]
    pub(crate) napi: Napi<NapiState<'bound>>,
    #[pin]
    pub(crate) config: Mutex<Config<'bound>>,
    /// The receive filters last written, to skip identical rewrites.
    #[pin]
    pub(crate) filters: SpinLock<RxFilters>,
    /// RCTL as last written: QEMU stalls reception for a second on every
    /// RCTL write, so it is rewritten only when a bit changes.
    pub(crate) rctl: AtomicU32,
    /// Bytes of the receive ring's buffers, which RCTL's BSIZE tells the
    /// device: set by `start` from the ring it starts, while `rctl` is 0
    /// (nothing writes RCTL then). RCTL never takes it from the MTU, which
    /// `change_mtu` sets before the ring for it exists.
    pub(crate) rx_buf: AtomicU32,
    /// Interrupts per second the throttle allows now.
    pub(crate) itr_rate: AtomicU32,
    /// The rate follows the traffic (ethtool adaptive-rx); otherwise it
    /// stays at `itr_rate`.
    pub(crate) itr_adaptive: AtomicBool,
    /// ethtool's message level (NETIF_MSG_* bits), kept for the user.
    pub(crate) msglevel: AtomicU32,
    /// Transmit interrupt delay in microseconds (ethtool tx-usecs; 0: the
    /// device signals each completion at once).
    pub(crate) tx_usecs: AtomicU32,
    /// Received frames up to this many bytes are copied into a small
    /// sk_buff (ethtool's rx-copybreak tunable; 0: none).
    pub(crate) rx_copybreak: AtomicU32,
    /// The interrupt handler masked the device's interrupts for the poll
    /// to unmask.
    pub(crate) irq_masked: AtomicBool,
    /// NAPI accepted the last completion (set by `Poll::completed`): the
    /// next poll begins a new interrupt-rate stretch. A poll on another CPU
    /// that starts before the flag is set counts its first round into the
    /// stretch before: a heuristic's loss, nothing else.
    pub(crate) poll_completed: AtomicBool,
    /// The self-test owns the interrupt line: the handler only records
    /// causes in `irq_test_seen`.
    pub(crate) irq_test: AtomicBool,
    pub(crate) irq_test_seen: AtomicU32,
    pub(crate) sw: SwStats,
    pub(crate) hw_stats: HwStats,
    /// The device's resources come last: fields drop in order, and the
    /// work items, NAPI and the interrupt line above (in `config`) use the
    /// registers until they are gone.
    pub(crate) regs: Regs<'bound>,
    pub(crate) dma: dma::Device<'bound>,
    pub(crate) pdev: &'bound pci::Device<Bound>,
}

/// The PCI driver.
pub(crate) struct Re1000Driver;

/// What probe leaves bound to the PCI function: the interface. When the
/// function is unbound, the driver core unregisters the interface (which
/// stops it, drops its state and with it unmaps BAR0), then disables the
/// function.
pub(crate) struct Re1000Pci<'bound> {
    netdev: Registered<'bound, Re1000<'bound>>,
}

/// Reads the MAC address from the EEPROM; a bad checksum or address gives a
/// random one, as the C driver does (the device still works).
fn station_address(regs: &Regs<'_>) -> Result<([u8; 6], bool)> {
    let words = hwinit::read_eeprom_all(regs)?;
    let mac = eeprom::mac_from_words([words[0], words[1], words[2]]);
    Ok((
        mac,
        eeprom::checksum_valid(&words) && eeprom::mac_valid(&mac),
    ))
}

#[vtable]
impl pci::Driver for Re1000Driver {
    const NAME: &'static CStr = NAME;
    const ID_TABLE: &'static [DeviceId] = &[
        DeviceId::new(0x8086, 0x100E, 0), // 82540EM: QEMU's "e1000"
        DeviceId::new(0x8086, 0x100F, 0), // 82545EM copper: "e1000-82545em"
        DeviceId::new(0x8086, 0x1008, 0), // 82544EI copper
        DeviceId::new(0x8086, 0x100C, 0), // 82544GC copper: QEMU's "e1000-82544gc"
        DeviceId::END,
    ];

    type Data<'bound> = Re1000Pci<'bound>;

    fn probe<'bound>(
        pdev: &pci::Device<Core<'bound>>,
        _id: &DeviceId,
    ) -> Result<Re1000Pci<'bound>> {
        let bound = pdev.bound();
        pdev.enable_device()?;
        if pdev.set_dma_mask(64).is_err() {
            pdev.set_dma_mask(32)?;
        }
        let regs: Regs<'bound> = bound.iomap_region_sized::<BAR0_SIZE>(0, NAME)?;
        pdev.set_master();
        hwinit::reset(&regs);
        let (mut mac, mac_ok) = station_address(&regs)?;
        let dma = dma::Device::new(bound)?;
        let irq = pdev.irq();
        if irq == 0 {
            // Firmware gave the function no interrupt line: nothing would
            // ever complete a transmit. Refuse rather than time out later.
            // (A line that ACPI failed to route keeps its number: that case
            // shows only as interrupts that never come.)
            pr_err!(
                "{}: no interrupt line routed to the device\n",
                pdev.name().to_str().unwrap_or("?")
            );
            return Err(ENODEV);
        }

        let netdev = Registration::<Re1000<'bound>>::new(pdev, |setup| {
            if mac_ok {
                setup.set_addr(&mac);
            } else {
                mac = setup.set_random_addr();
            }
            hwinit::init(&regs, &mac)?;
            let offloads = Features::SG
                .with(Features::HW_CSUM)
                .with(Features::TSO)
                .with(Features::TSO6);
            let vlan = Features::VLAN_RX
                .with(Features::VLAN_TX)
                .with(Features::VLAN_FILTER);
            let toggles = offloads
                .with(vlan)
                .with(Features::RXALL)
                .with(Features::RXFCS);
            setup.set_features(
                offloads.with(vlan).with(Features::HIGHDMA),
                toggles,
                offloads,
            );
            setup.set_unicast_filter();
            setup.set_mtu_range(MIN_MTU, MAX_MTU);
            setup.set_watchdog_ms(TX_TIMEOUT_MS);
            // Jumbo frames reach programs loaded for them as multi-buffer
            // frames, and redirected ones leave a descriptor per buffer.
            setup.advertise_xdp(MultiBuffer {
                rx: true,
                xmit: true,
            });
            setup.set_irq(irq);
            let napi = Napi::new(setup);
            let reset_work = Work::new(setup);
            let link_work = Work::new(setup);
            let watchdog = DelayedWork::new(setup);
            Ok(try_pin_init!(Re1000 {
                reset_work <- reset_work,
                link_work <- link_work,
                watchdog <- watchdog,
                regs,
                dma,
                pdev: bound,
                napi <- napi,
                config <- new_mutex!(Config {
                    irq: None,
                    rx_ring: RingSize::default_rx(),
                    tx_ring: RingSize::default_tx(),
                    vfta: [0; VFTA_WORDS],
                    pause: Pause {
                        autoneg: true,
                        rx: true,
                        tx: true,
                    },
                    advertise: Modes::ALL,
                    wol: WakeOn::default(),
                    ledctl_saved: None,
                }),
                filters <- new_spinlock!(RxFilters::default()),
                rctl: AtomicU32::new(0),
                rx_buf: AtomicU32::new(RxBuf::B2048.bytes() as u32),
                itr_rate: AtomicU32::new(RATE_DEFAULT),
                itr_adaptive: AtomicBool::new(true),
                msglevel: AtomicU32::new(DEFAULT_MSGLEVEL),
                tx_usecs: AtomicU32::new(DEFAULT_TX_USECS),
                rx_copybreak: AtomicU32::new(crate::rx::DEFAULT_COPYBREAK),
                irq_masked: AtomicBool::new(false),
                poll_completed: AtomicBool::new(false),
                irq_test: AtomicBool::new(false),
                irq_test_seen: AtomicU32::new(0),
                sw: SwStats::default(),
                hw_stats: HwStats::new(),
            }? Error))
        })?;
        let dev = netdev.netdev();
        dev.init_carrier_off();
        if !mac_ok {
            crate::netdev_log!(
                dev,
                Warn,
                "invalid EEPROM MAC address, using random {:02x?}\n",
                mac
            );
        }
        let registered = netdev.register(pdev)?;
        let dev = registered.get(pdev);
        crate::netdev_log!(
            dev,
            Info,
            "Intel(R) PRO/1000 Network Connection {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}\n",
            mac[0],
            mac[1],
            mac[2],
            mac[3],
            mac[4],
            mac[5]
        );
        Ok(Re1000Pci { netdev: registered })
    }

    fn suspend(pdev: &pci::Device<Core<'_>>, data: &Re1000Pci<'_>) -> Result {
        crate::pm::suspend(data.netdev.get(pdev), pdev)
    }

    fn resume(pdev: &pci::Device<Core<'_>>, data: &Re1000Pci<'_>) -> Result {
        crate::pm::resume(data.netdev.get(pdev), pdev)
    }

    fn shutdown(pdev: &pci::Device<Core<'_>>, data: &Re1000Pci<'_>) {
        crate::pm::shutdown(data.netdev.get(pdev), pdev)
    }
}
