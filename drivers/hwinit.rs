//! Programming the device: reset, EEPROM, station address, filters, link,
//! ring registers and interrupt masks.
//!
//! QEMU ignores CTRL.RST, so every register the driver relies on is written
//! explicitly, on probe and on every open.

use crate::hw::desc::DESC_SIZE;
use crate::hw::eeprom;
use crate::hw::filter::{MtaTable, RAR_ENTRIES};
use crate::hw::itr;
use crate::hw::phy::{self, FlowControl};
use crate::hw::regs::*;
use crate::hwio::DescRing;
use crate::layer::errno::etimedout;
use crate::layer::mmio::Bar;
use crate::layer::time::{delay::fsleep, Delta};
use kernel::error::{
    code::{EINVAL, EIO},
    Result,
};

/// BAR0 as the driver maps it.
pub(crate) type Regs<'a> = Bar<'a, BAR0_SIZE>;

/// Every interrupt cause, for masking.
const ALL_CAUSES: u32 = u32::MAX;
/// Polls of EERD.DONE before giving up (QEMU answers at once).
const EERD_POLLS: u32 = 100_000;
/// Polls of MDIC.R before giving up (QEMU answers at once).
const MDIC_POLLS: u32 = 100_000;
/// Wait after receive and transmit are disabled, before the reset: DMA in
/// flight lands (the C driver's `msleep(10)` in `e1000_reset_hw`).
const RESET_QUIESCE: Delta = Delta::from_millis(10);
/// Wait after CTRL.RST (the C driver's `e1000_get_auto_rd_done`).
const RESET_SETTLE: Delta = Delta::from_millis(5);

/// Stops all DMA and interrupts and resets the device, waiting as the C
/// driver's `e1000_reset_hw` does: 10 ms for DMA in flight to land once
/// receive and transmit are off, 5 ms for the reset and the EEPROM's
/// auto-read to complete. Sleeps: process context only.
pub(crate) fn reset(regs: &Regs<'_>) {
    regs.write(Imc(ALL_CAUSES));
    regs.write(Rctl(0));
    regs.write(Tctl(0).with_psp(true));
    regs.flush::<Status>();
    fsleep(RESET_QUIESCE);
    regs.modify::<Ctrl>(|c| c.with_rst(true));
    fsleep(RESET_SETTLE);
    regs.write(Imc(ALL_CAUSES));
    let _ = regs.read::<Icr>();
}

/// Reads one EEPROM word through EERD.
pub(crate) fn read_eeprom(regs: &Regs<'_>, word: u32) -> Result<u16> {
    if word > 0xFF {
        return Err(EINVAL);
    }
    regs.write(Eerd(0).with_addr(word).with_start(true));
    for _ in 0..EERD_POLLS {
        let e = regs.read::<Eerd>();
        if e.done() {
            return Ok(e.data() as u16);
        }
    }
    Err(etimedout())
}

/// Reads the EEPROM's first `EEPROM_WORDS` words.
pub(crate) fn read_eeprom_all(regs: &Regs<'_>) -> Result<[u16; eeprom::EEPROM_WORDS]> {
    let mut words = [0u16; eeprom::EEPROM_WORDS];
    for (i, w) in words.iter_mut().enumerate() {
        *w = read_eeprom(regs, i as u32)?;
    }
    Ok(words)
}

/// Runs one MDIC operation and returns MDIC as it finished. Only under RTNL
/// (ethtool, open, self-test, the link work), which keeps two operations
/// from interleaving.
fn mdic(regs: &Regs<'_>, op: Mdic) -> Result<Mdic> {
    regs.write(op.with_phy(PHY_ADDR).with_ready(false).with_err(false));
    for _ in 0..MDIC_POLLS {
        let m = regs.read::<Mdic>();
        if m.err() {
            return Err(EIO);
        }
        if m.ready() {
            return Ok(m);
        }
    }
    Err(etimedout())
}

/// Reads PHY register `reg` (see `hw::phy`).
pub(crate) fn phy_read(regs: &Regs<'_>, reg: u32) -> Result<u16> {
    let m = mdic(regs, Mdic(0).with_reg(reg).with_op(MDIC_OP_READ))?;
    Ok(m.data() as u16)
}

/// Writes PHY register `reg`.
pub(crate) fn phy_write(regs: &Regs<'_>, reg: u32, value: u16) -> Result {
    mdic(
        regs,
        Mdic(0)
            .with_reg(reg)
            .with_op(MDIC_OP_WRITE)
            .with_data(u32::from(value)),
    )
    .map(|_| ())
}

/// Programs flow control: honour (`rx`) and send (`tx`) pause frames. The
/// pause frame's address, type and timer are the 802.3x constants; the
/// thresholds leave room for one jumbo frame in QEMU's 48 KiB receive FIFO.
pub(crate) fn set_flow_control(regs: &Regs<'_>, fc: FlowControl) {
    regs.write(Fcal(0x00C2_8001));
    regs.write(Fcah(0x0100));
    regs.write(Fct(0x8808));
    regs.write(Fcttv(0xFFFF));
    if fc.tx {
        regs.write(Fcrtl(0).with_rtl(0x7000 >> 3).with_xone(true));
        regs.write(Fcrth(0).with_rth(0x8000 >> 3));
    } else {
        regs.write(Fcrtl(0));
        regs.write(Fcrth(0));
    }
    regs.modify::<Ctrl>(|c| c.with_rfce(fc.rx).with_tfce(fc.tx));
}

/// Flow control as programmed in CTRL.
pub(crate) fn flow_control(regs: &Regs<'_>) -> FlowControl {
    let c = regs.read::<Ctrl>();
    FlowControl {
        rx: c.rfce(),
        tx: c.tfce(),
    }
}

/// Writes receive address entry `index` (RAL first, then RAH with AV).
pub(crate) fn set_rar(regs: &Regs<'_>, index: usize, mac: Option<&[u8; 6]>) -> Result {
    match mac {
        Some(mac) => {
            let (lo, hi) = rar_words(mac);
            regs.write_at::<Ral>(index, lo)?;
            regs.write_at::<Rah>(index, hi | RAH_AV)
        }
        None => {
            regs.write_at::<Rah>(index, 0)?;
            regs.write_at::<Ral>(index, 0)
        }
    }
}

/// Writes the whole multicast table.
pub(crate) fn write_mta(regs: &Regs<'_>, table: &MtaTable) {
    for (i, word) in table.0.iter().enumerate() {
        let _ = regs.write_at::<Mta>(i, *word);
    }
}

/// Puts the device in a known state after reset: station address, empty
/// filters, link up by autonegotiation, no flow control.
pub(crate) fn init(regs: &Regs<'_>, mac: &[u8; 6]) -> Result {
    set_rar(regs, 0, Some(mac))?;
    for i in 1..RAR_ENTRIES {
        set_rar(regs, i, None)?;
    }
    write_mta(regs, &MtaTable::default());
    regs.write(Vet(ETH_P_8021Q));
    regs.write(Fcal(0));
    regs.write(Fcah(0));
    regs.write(Fct(0));
    regs.write(Fcttv(0));
    regs.modify::<Ctrl>(|c| {
        c.with_slu(true)
            .with_asde(true)
            .with_frcspd(false)
            .with_frcdplx(false)
            .with_ilos(false)
            .with_phy_rst(false)
            .with_rst(false)
            .with_rfce(false)
            .with_tfce(false)
    });
    Ok(())
}

/// Writes the whole VLAN filter table.
pub(crate) fn write_vfta(regs: &Regs<'_>, table: &[u32]) {
    for (i, word) in table.iter().enumerate() {
        let _ = regs.write_at::<Vfta>(i, *word);
    }
}

/// Sets VLAN tag stripping and insertion (CTRL.VME).
pub(crate) fn set_vlan_mode(regs: &Regs<'_>, on: bool) {
    regs.modify::<Ctrl>(|c| c.with_vme(on));
}

/// Points the transmitter at `ring` and enables it; completions of frames
/// sent with IDE wait up to `tx_usecs` for others (ethtool tx-usecs).
pub(crate) fn configure_tx(regs: &Regs<'_>, ring: &DescRing<'_>, tx_usecs: u32) {
    let bus = ring.bus_addr();
    regs.write(Tdbal(bus as u32));
    regs.write(Tdbah((bus >> 32) as u32));
    regs.write(Tdlen((ring.len() * DESC_SIZE) as u32));
    regs.write(Tdh(0));
    regs.write(Tdt(0));
    regs.write(Tipg(0).with_ipgt(8).with_ipgr1(8).with_ipgr2(6));
    set_tx_delay(regs, tx_usecs);
    regs.write(
        Tctl(0)
            .with_en(true)
            .with_psp(true)
            .with_ct(0x0F)
            .with_cold(0x40)
            .with_rtlc(true),
    );
}

/// Sets the transmit interrupt delay for frames sent with IDE: TIDV waits
/// `tx_usecs` after the last completion, TADV bounds the wait at four times
/// that (the C driver's 8 and 32; re1000's default is 0, no delay); units
/// of 1.024 us, close enough to us.
pub(crate) fn set_tx_delay(regs: &Regs<'_>, tx_usecs: u32) {
    let delay = tx_usecs.min(MAX_TX_USECS);
    regs.write(Tidv(0).with_delay(delay));
    regs.write(Tadv(0).with_delay((delay * 4).min(MAX_TX_USECS)));
}

/// The longest transmit interrupt delay the 16-bit timers hold.
pub(crate) const MAX_TX_USECS: u32 = 0xFFFF;

/// Points the receiver at `ring`, hands it the buffers up to `tail`, then
/// writes `rctl` (which enables it) as the very last step.
pub(crate) fn configure_rx(regs: &Regs<'_>, ring: &DescRing<'_>, tail: u16, rctl: Rctl) {
    regs.write(Rctl(0));
    let bus = ring.bus_addr();
    regs.write(Rdbal(bus as u32));
    regs.write(Rdbah((bus >> 32) as u32));
    regs.write(Rdlen((ring.len() * DESC_SIZE) as u32));
    regs.write(Rdtr(0));
    regs.write(Radv(0).with_delay(8));
    regs.write(Rxcsum(0));
    regs.write(Rdh(0));
    crate::layer::dma::wmb();
    regs.write(Rdt(0).with_index(u32::from(tail)));
    regs.write(rctl);
}

/// The receive control value for an enabled receiver (filters come on top).
pub(crate) fn base_rctl() -> Rctl {
    Rctl(0)
        .with_en(true)
        .with_bam(true)
        .with_secrc(true)
        .with_rdmts(0)
        .with_mo(0)
        .with_lbm(0)
}

/// Stops the receiver and transmitter.
pub(crate) fn stop_rx_tx(regs: &Regs<'_>) {
    regs.write(Rctl(0));
    regs.modify::<Tctl>(|t| t.with_en(false));
    regs.flush::<Status>();
}

/// Restarts autonegotiation (after the advertisement registers changed).
pub(crate) fn restart_autoneg(regs: &Regs<'_>) -> Result {
    let bmcr = phy_read(regs, phy::BMCR)?;
    phy_write(
        regs,
        phy::BMCR,
        bmcr | phy::BMCR_ANENABLE | phy::BMCR_ANRESTART,
    )
}

/// Sets the interrupt throttle to `rate` interrupts per second (0: none).
pub(crate) fn set_itr(regs: &Regs<'_>, rate: u32) {
    regs.write(Itr(0).with_interval(itr::interval_for_rate(rate)));
}

/// Unmasks the causes the driver handles.
pub(crate) fn irq_enable(regs: &Regs<'_>) {
    regs.write(Ims(IRQ_CAUSES));
}

/// Masks every cause and makes sure the write landed.
pub(crate) fn irq_disable(regs: &Regs<'_>) {
    regs.write(Imc(ALL_CAUSES));
    regs.flush::<Status>();
}
