"""scripts/benchstats.py: the statistics of scripts/bench (imported, never run).

Comparing two drivers' samples of one figure:

* ``hodges_lehmann`` estimates the shift between two samples (the median of
  all pairwise differences) with a distribution-free confidence interval
  from the exact null distribution of the Mann-Whitney U statistic (the
  interval is two order statistics of the pairwise differences). On the
  logarithms of positive figures the shift is a ratio. Its coverage holds
  for any continuous distribution and any sample size; below 4 runs per
  side no 95 % interval exists, and it says so (an infinite interval).
* ``bootstrap_ratio`` is the percentile bootstrap of the ratio of medians,
  for comparison (it covers less than it claims with few runs).
* ``compare`` turns an interval into a verdict: ahead or behind only when
  the interval excludes 1 (0 for a difference), level when it lies within
  a band around 1, unsure otherwise.
* ``settled`` is the adaptive run count's stopping rule: the interval is
  narrower than the precision asked for.
* ``agreement`` sets two runs' verdicts side by side (``scripts/bench
  --compare``).

Host measurements that go with each table: ``cpu_times``/``busy_share``
(/proc/stat) for the load of other processes, and ``reference_speed`` (a
fixed CPU-bound loop) for the machine's own speed.
"""

import hashlib
import math
import os
import random
import statistics
import time
from functools import lru_cache

CONFIDENCE = 0.95
# An interval inside [1/(1+LEVEL), 1+LEVEL] reads as level.
LEVEL = 0.05


@lru_cache(maxsize=None)
def u_counts(m, n):
    """The number of orderings of m values of X and n of Y (no ties) for which
    U = #{(x, y): y > x} takes each value 0..m*n; they sum to C(m+n, m)."""
    # N(m, n, u) = N(m, n-1, u-m) + N(m-1, n, u): the largest value is a Y
    # (above all m X's) or an X (above none of the Y's).
    if m == 0 or n == 0:
        return (1,)
    a = u_counts(m, n - 1)
    b = u_counts(m - 1, n)
    out = [0] * (m * n + 1)
    for u, k in enumerate(a):
        out[u + m] += k
    for u, k in enumerate(b):
        out[u] += k
    return tuple(out)


def u_cdf(m, n, u):
    """P(U <= u) under the null hypothesis (both samples from one distribution)."""
    counts = u_counts(m, n)
    if u < 0:
        return 0.0
    u = min(int(math.floor(u)), m * n)
    return sum(counts[:u + 1]) / math.comb(m + n, m)


def mann_whitney_u(x, y):
    """U = #{(x, y): y > x} + half the ties."""
    return sum((yj > xi) + 0.5 * (yj == xi) for xi in x for yj in y)


def mann_whitney_p(x, y):
    """Two-sided p-value of the exact Mann-Whitney test (ties counted half,
    rounded towards the centre, so the value errs on the large side)."""
    m, n = len(x), len(y)
    if not m or not n:
        return 1.0
    u = mann_whitney_u(x, y)
    low = min(u, m * n - u)
    return min(1.0, 2 * u_cdf(m, n, math.ceil(low)))


def hodges_lehmann(x, y, confidence=CONFIDENCE):
    """The shift of y against x: (estimate, low, high, achieved confidence).

    The estimate is the median of all y_j - x_i; the interval is
    [D_(k), D_(mn+1-k)] of the sorted differences, k the largest with
    P(U <= k-1) <= (1-confidence)/2. Where no k >= 1 qualifies (too few
    values) the interval is infinite and the achieved confidence is 1."""
    m, n = len(x), len(y)
    if not m or not n:
        raise ValueError("both samples need values")
    diffs = sorted(yj - xi for xi in x for yj in y)
    est = statistics.median(diffs)
    alpha = 1 - confidence
    k = 0
    while k + 1 <= (m * n + 1) // 2 and u_cdf(m, n, k) <= alpha / 2:
        k += 1
    if k == 0:
        return est, -math.inf, math.inf, 1.0
    achieved = 1 - 2 * u_cdf(m, n, k - 1)
    return est, diffs[k - 1], diffs[m * n - k], achieved


def bootstrap_ratio(x, y, confidence=CONFIDENCE, iterations=4000, seed=1):
    """median(y) / median(x) with a percentile bootstrap interval, resampling
    each sample on its own: (estimate, low, high)."""
    if not x or not y or min(x) <= 0 or min(y) <= 0:
        raise ValueError("the bootstrap ratio needs positive values")
    rng = random.Random(seed)
    est = statistics.median(y) / statistics.median(x)
    ratios = sorted(statistics.median(rng.choices(y, k=len(y)))
                    / statistics.median(rng.choices(x, k=len(x)))
                    for _ in range(iterations))
    tail = (1 - confidence) / 2
    lo = ratios[int(math.floor(tail * (iterations - 1)))]
    hi = ratios[int(math.ceil((1 - tail) * (iterations - 1)))]
    return est, lo, hi


def compare(c, r, lower_is_better=False, confidence=CONFIDENCE, level=LEVEL, method="hl"):
    """re1000's samples R against C's samples C for one figure.

    Positive figures give a ratio R/C with its interval; figures with zeros
    (retransmits, loss) a difference R-C, read against C's median for the
    level band. Returns a dict: kind ("ratio" or "difference"), estimate,
    low, high, confidence (achieved), p (two-sided Mann-Whitney), verdict
    ("ahead", "behind", "level", "unsure"), n (runs per side)."""
    c, r = list(c), list(r)
    positive = min(c + r) > 0
    if positive and method == "bootstrap":
        est, lo, hi = bootstrap_ratio(c, r, confidence)
        achieved = confidence
        kind = "ratio"
    elif positive:
        d, dlo, dhi, achieved = hodges_lehmann([math.log(v) for v in c],
                                               [math.log(v) for v in r], confidence)
        est, lo, hi = math.exp(d), math.exp(dlo), math.exp(dhi)
        kind = "ratio"
    else:
        est, lo, hi, achieved = hodges_lehmann(c, r, confidence)
        kind = "difference"
    if kind == "ratio":
        neutral, band = 1.0, (1 / (1 + level), 1 + level)
    else:
        scale = abs(statistics.median(c)) * level
        neutral, band = 0.0, (-scale, scale)
    if lo > neutral or hi < neutral:
        higher = lo > neutral
        verdict = "ahead" if higher != lower_is_better else "behind"
    elif band[0] <= lo and hi <= band[1]:
        verdict = "level"
    else:
        verdict = "unsure"
    return {"kind": kind, "estimate": est, "low": lo, "high": hi, "confidence": achieved,
            "p": mann_whitney_p(c, r), "verdict": verdict, "n": [len(c), len(r)]}


def relative_width(cmp):
    """high/low - 1 of a ratio's interval (infinite when it is unbounded)."""
    if cmp["kind"] != "ratio" or cmp["low"] <= 0 or math.isinf(cmp["high"]):
        return math.inf
    return cmp["high"] / cmp["low"] - 1


def settled(cmp, precision):
    """The stopping rule of the adaptive run count: the ratio's interval is
    at most PRECISION wide (high/low - 1), so more runs would not change
    what it says by much. A decided verdict alone does not stop the runs:
    stopping as soon as an interval excludes 1 would make false verdicts
    more likely than the interval's level promises."""
    return relative_width(cmp) <= precision


def next_round(groups, runs, min_runs, max_runs, precision, compare_fn):
    """The test groups that still need a run: fewer than MIN_RUNS runs, or an
    unsettled headline figure and fewer than MAX_RUNS runs.

    GROUPS maps a group to its headline figures; RUNS maps a group to its
    runs so far per side; COMPARE_FN(figure) compares the figure's samples
    (None if it has none)."""
    want = []
    for group, headlines in groups.items():
        n = runs.get(group, 0)
        if n < min_runs:
            want.append(group)
            continue
        if n >= max_runs:
            continue
        cmps = [compare_fn(f) for f in headlines]
        if any(c is None or not settled(c, precision) for c in cmps):
            want.append(group)
    return want


def cpu_times(stat_text=None):
    """(busy, total) jiffies of all CPUs from /proc/stat's "cpu" line; idle
    and iowait are not busy, guest time is already in user time."""
    if stat_text is None:
        with open("/proc/stat") as f:
            stat_text = f.read()
    for line in stat_text.splitlines():
        if line.startswith("cpu "):
            v = [int(x) for x in line.split()[1:]]
            # user nice system idle iowait irq softirq steal [guest guest_nice]
            total = sum(v[:8])
            idle = v[3] + v[4]
            return total - idle, total
    raise ValueError("no cpu line in /proc/stat")


def busy_share(before, after):
    """The busy share of the machine between two cpu_times() samples."""
    busy = after[0] - before[0]
    total = after[1] - before[1]
    return busy / total if total > 0 else 0.0


def others_share(before, after, own_cpu_s, hz=None):
    """The share of the machine's CPU time that others used between two
    cpu_times() samples, when this process and its children used OWN_CPU_S
    seconds meanwhile (never below 0)."""
    hz = hz or os.sysconf("SC_CLK_TCK")
    total = after[1] - before[1]
    if total <= 0:
        return 0.0
    others = (after[0] - before[0]) - own_cpu_s * hz
    return max(0.0, others / total)


def reference_speed(repeats=3):
    """The machine's own speed, on one core: sha256 over 64 MiB (MB/s) and
    a fixed pure-Python loop (million iterations per second); the best of
    REPEATS each, so another process's moment does not count."""
    block = bytes(range(256)) * 4096  # 1 MiB
    best_sha = best_py = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        h = hashlib.sha256()
        for _ in range(64):
            h.update(block)
        h.digest()
        best_sha = min(best_sha, time.perf_counter() - t0)
        t0 = time.perf_counter()
        acc = 0
        for i in range(2_000_000):
            acc = (acc + i * i) & 0xFFFFFFFF
        best_py = min(best_py, time.perf_counter() - t0)
    return {"sha256_mb_per_s": round(64 * 1.048576 / best_sha, 1),
            "python_mloops_per_s": round(2.0 / best_py, 2)}


def agreement(rows_a, rows_b):
    """Two runs' verdicts side by side, per figure present in both (rows of
    scripts/bench's results.json, matched on mitigation, configuration and
    figure): a list of (key, row_a, row_b, same) in A's order, and the keys
    where one run says ahead and the other behind (a contradiction, which
    at 95 % should almost never happen; a verdict against unsure or level is
    a disagreement of confidence, not of direction)."""
    def key(r):
        return (r["mitigation"], r["config"], r["figure"])
    b = {key(r): r for r in rows_b}
    pairs, contradictions = [], []
    for r in rows_a:
        other = b.get(key(r))
        if other is None:
            continue
        pairs.append((key(r), r, other, r["verdict"] == other["verdict"]))
        if {r["verdict"], other["verdict"]} == {"ahead", "behind"}:
            contradictions.append(key(r))
    return pairs, contradictions


def fmt_interval(cmp, digits=2):
    """"1.06 [1.01, 1.12]"; a difference as "+3.0 [-1.0, +8.0]"."""
    signed = cmp["kind"] == "difference"
    spec = "+.1f" if signed else f".{digits}f"

    def f(v):
        if math.isinf(v):
            return "-inf" if v < 0 else "inf"
        return format(v, spec)
    return f"{f(cmp['estimate'])} [{f(cmp['low'])}, {f(cmp['high'])}]"


def svg_intervals(rows, path, title="re1000 / C e1000, 95 % intervals"):
    """A chart of ratios with their intervals on a log scale (0.5..2), one
    row per figure: a dot at the estimate, a bar over the interval, green
    where re1000 is ahead, red behind, grey level or unsure; 1 marked."""
    rows = [r for r in rows if r["kind"] == "ratio"]
    lo_lim, hi_lim = 0.5, 2.0
    x0, width = 330, 360

    def x(v):
        v = min(max(v, lo_lim), hi_lim)
        return x0 + width * (math.log(v) - math.log(lo_lim)) / (math.log(hi_lim) - math.log(lo_lim))

    h = 24 * len(rows) + 80
    colour = {"ahead": "#2a9d4a", "behind": "#c0392b", "level": "#555555", "unsure": "#999999"}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="{h}" '
           'font-family="sans-serif" font-size="12">',
           f'<text x="10" y="20" font-size="14">{title}</text>',
           '<text x="10" y="36" font-size="11">dot: estimate; bar: interval (log scale, '
           'clipped to 0.5..2); green ahead, red behind, grey level or unsure</text>']
    for v in (0.5, 0.67, 0.8, 1, 1.25, 1.5, 2):
        out.append(f'<line x1="{x(v):.1f}" y1="46" x2="{x(v):.1f}" y2="{h - 20}" stroke="'
                   + ("black" if v == 1 else "#dddddd") + '"'
                   + (' stroke-dasharray="4"' if v == 1 else "") + '/>')
        out.append(f'<text x="{x(v) - 8:.1f}" y="{h - 6}">{v:g}</text>')
    for i, r in enumerate(rows):
        y = 56 + 24 * i
        col = colour.get(r["verdict"], "#999999")
        out.append(f'<text x="10" y="{y + 12}">{r["label"]}</text>')
        out.append(f'<rect x="{x(r["low"]):.1f}" y="{y + 4}" '
                   f'width="{max(1.0, x(r["high"]) - x(r["low"])):.1f}" height="8" '
                   f'fill="{col}" opacity="0.5"/>')
        out.append(f'<circle cx="{x(r["estimate"]):.1f}" cy="{y + 8}" r="4" fill="{col}"/>')
        out.append(f'<text x="{x0 + width + 8}" y="{y + 12}">{fmt_interval(r)} {r["verdict"]}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
