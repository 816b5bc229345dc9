"""Host tests of scripts/benchstats.py (python3 -m unittest, from scripts/;
scripts/test runs them with the host unit tests)."""

import itertools
import math
import os
import random
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchstats as bs  # noqa: E402


def noisy(centre, spread, n, seed):
    """N values around CENTRE, each within +-SPREAD (relative), reproducibly."""
    rng = random.Random(seed)
    return [centre * (1 + rng.uniform(-spread, spread)) for _ in range(n)]


class NullDistribution(unittest.TestCase):
    def test_counts_match_enumeration(self):
        for m, n in ((1, 1), (2, 3), (3, 4), (4, 4)):
            counts = [0] * (m * n + 1)
            for xs in itertools.combinations(range(m + n), m):
                ys = [v for v in range(m + n) if v not in xs]
                counts[sum(y > x for x in xs for y in ys)] += 1
            self.assertEqual(list(bs.u_counts(m, n)), counts, (m, n))
            self.assertEqual(sum(counts), math.comb(m + n, m))

    def test_separated_samples_p_value(self):
        # 5 against 5, all of one above all of the other: 2 orderings of 252.
        self.assertAlmostEqual(bs.mann_whitney_p([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]), 2 / 252)
        self.assertEqual(bs.mann_whitney_p([1, 2, 3], [1, 2, 3]), 1.0)


class Intervals(unittest.TestCase):
    def test_hodges_lehmann_textbook_case(self):
        # 5 against 5 at 95 %: the critical U is 2, so the interval runs from
        # the 3rd to the 23rd of the 25 sorted differences.
        x = [1, 2, 3, 4, 5]
        y = [v + 10 for v in x]
        est, lo, hi, conf = bs.hodges_lehmann(x, y)
        self.assertEqual((est, lo, hi), (10, 7, 13))
        self.assertAlmostEqual(conf, 1 - 2 * 4 / 252)

    def test_ratio_bounds_known_case(self):
        # C's runs a geometric series (step 1.1), re1000's the same times 1.2:
        # the ratio is 1.2 and its interval 1.2 / 1.1^3 .. 1.2 * 1.1^3 (the 3rd
        # and 23rd of the 25 ratios, as above).
        c = [100 * 1.1 ** i for i in range(5)]
        r = [v * 1.2 for v in c]
        cmp = bs.compare(c, r)
        self.assertEqual(cmp["kind"], "ratio")
        self.assertAlmostEqual(cmp["estimate"], 1.2)
        self.assertAlmostEqual(cmp["low"], 1.2 / 1.1 ** 3)
        self.assertAlmostEqual(cmp["high"], 1.2 * 1.1 ** 3)
        self.assertEqual(cmp["verdict"], "unsure")  # the interval holds 1

    def test_too_few_runs_give_no_interval(self):
        cmp = bs.compare([100, 101, 102], [200, 201, 202])
        self.assertTrue(math.isinf(cmp["high"]))
        self.assertEqual(cmp["low"], 0.0)
        self.assertEqual(cmp["verdict"], "unsure")
        self.assertFalse(bs.settled(cmp, 10.0))

    def test_identical_distributions_are_level(self):
        c = noisy(900, 0.02, 15, seed=1)
        r = noisy(900, 0.02, 15, seed=2)
        cmp = bs.compare(c, r)
        self.assertLess(cmp["low"], 1.0)
        self.assertGreater(cmp["high"], 1.0)
        self.assertEqual(cmp["verdict"], "level")

    def test_wide_spread_is_unsure_not_level(self):
        c = noisy(900, 0.4, 6, seed=3)
        r = noisy(900, 0.4, 6, seed=4)
        self.assertEqual(bs.compare(c, r)["verdict"], "unsure")

    def test_shifted_distributions(self):
        c = noisy(700, 0.05, 8, seed=5)
        up = noisy(900, 0.05, 8, seed=6)
        down = noisy(500, 0.05, 8, seed=7)
        self.assertEqual(bs.compare(c, up)["verdict"], "ahead")
        self.assertEqual(bs.compare(c, down)["verdict"], "behind")
        # Where less is better (latency, CPU per MB) the sides swap.
        self.assertEqual(bs.compare(c, up, lower_is_better=True)["verdict"], "behind")
        self.assertEqual(bs.compare(c, down, lower_is_better=True)["verdict"], "ahead")
        cmp = bs.compare(c, up)
        self.assertGreater(cmp["low"], 1.0)
        self.assertLess(cmp["p"], 0.01)

    def test_false_verdicts_are_rare(self):
        # Same distribution, 6 runs a side, 400 times: an interval that
        # excludes 1 is a false verdict, at most about 5 % of the time.
        rng = random.Random(8)
        false = 0
        for _ in range(400):
            c = [rng.lognormvariate(6.7, 0.2) for _ in range(6)]
            r = [rng.lognormvariate(6.7, 0.2) for _ in range(6)]
            false += bs.compare(c, r)["verdict"] in ("ahead", "behind")
        self.assertLess(false / 400, 0.07)

    def test_counts_with_zeros_are_differences(self):
        c = [0, 0, 1, 0, 2]
        r = [50, 60, 55, 70, 65]
        cmp = bs.compare(c, r, lower_is_better=True)
        self.assertEqual(cmp["kind"], "difference")
        self.assertEqual(cmp["verdict"], "behind")
        self.assertGreater(cmp["low"], 0)
        self.assertEqual(bs.compare([0] * 5, [0] * 5)["verdict"], "level")

    def test_bootstrap_agrees_on_clear_cases(self):
        c = noisy(700, 0.05, 10, seed=9)
        up = noisy(900, 0.05, 10, seed=10)
        same = noisy(700, 0.05, 10, seed=11)
        self.assertEqual(bs.compare(c, up, method="bootstrap")["verdict"], "ahead")
        cmp = bs.compare(c, same, method="bootstrap")
        self.assertLessEqual(cmp["low"], 1.0)
        self.assertGreaterEqual(cmp["high"], 1.0)


class AdaptiveRuns(unittest.TestCase):
    GROUPS = {"tcp_tx_1": ["tcp_tx_1_mbps"], "ping": ["ping_rtt_p50_ms"]}

    def simulate(self, spread, min_runs, max_runs, precision):
        """Runs rounds until next_round wants none; returns runs per group."""
        rng = random.Random(12)
        samples = {f: ([], []) for g in self.GROUPS.values() for f in g}
        runs = {}
        for _ in range(100):
            want = bs.next_round(self.GROUPS, runs, min_runs, max_runs, precision,
                                 lambda f: bs.compare(*samples[f]) if samples[f][0] else None)
            if not want:
                return runs
            for g in want:
                runs[g] = runs.get(g, 0) + 1
                for f in self.GROUPS[g]:
                    samples[f][0].append(1000 * (1 + rng.uniform(-spread, spread)))
                    samples[f][1].append(1000 * (1 + rng.uniform(-spread, spread)))
        self.fail("the adaptive loop did not stop")

    def test_stops_at_the_cap(self):
        # 40 % spread never gives a 2 % wide interval: every group runs MAX_RUNS.
        self.assertEqual(self.simulate(0.4, 5, 9, 0.02), {"tcp_tx_1": 9, "ping": 9})

    def test_stops_early_when_narrow(self):
        # 0.5 % spread: the interval is narrow after the minimum already.
        self.assertEqual(self.simulate(0.005, 5, 20, 0.10), {"tcp_tx_1": 5, "ping": 5})

    def test_never_below_the_minimum(self):
        self.assertEqual(bs.next_round(self.GROUPS, {"tcp_tx_1": 4, "ping": 9}, 5, 9, 0.1,
                                       lambda f: None), ["tcp_tx_1"])


def load_bench():
    """scripts/bench as a module (it has no .py name)."""
    import importlib.machinery
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench")
    loader = importlib.machinery.SourceFileLoader("bench_script", path)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


class BenchLoop(unittest.TestCase):
    """scripts/bench's rounds with the guests replaced by made-up figures."""

    def run_bench(self, argv, spread, others):
        """OTHERS: the share of the machine other processes take during
        each guest, in turn."""
        import json
        import subprocess
        from unittest import mock
        bench = load_bench()
        rng = random.Random(13)
        calls = []

        def round_once(driver, mit, cfg, groups, a, logdir, tag):
            calls.append((driver, mit, cfg, tuple(groups)))
            env = bench.driver_config(driver, cfg, a)[1]
            fig = {}
            for g in groups:
                base = 1.3 if driver == "re1000" else 1.0
                fig[bench.GROUPS[g][0]] = 800 * base * (1 + rng.uniform(-spread[g], spread[g]))
            conf = {"rx_ring": str(env.get("BENCH_RX_RING", "")),
                    "rx_usecs": str(env.get("BENCH_RX_USECS", ""))}
            return 0, fig, conf, os.path.join(logdir, f"{tag}-{driver}.log")

        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "results"))
            # What subprocess.run returns: the guest_kernel lookup reads stdout.
            done = subprocess.CompletedProcess([], 0, stdout="")
            with mock.patch.object(bench, "round_once", round_once), \
                 mock.patch.object(bench, "wait_quiet", lambda *a, **k: 0.0), \
                 mock.patch.object(bench.bs, "others_share", lambda *a: others.pop(0)), \
                 mock.patch.object(bench.bs, "reference_speed",
                                   lambda: {"sha256_mb_per_s": 1.0, "python_mloops_per_s": 1.0}), \
                 mock.patch.object(bench.subprocess, "run", lambda *a, **k: done), \
                 mock.patch.object(bench, "ROOT", root), \
                 mock.patch.object(sys, "argv", ["bench", *argv]), \
                 mock.patch("builtins.print"):
                bench.main()
            out = os.path.join(root, "results", os.listdir(os.path.join(root, "results"))[0])
            with open(os.path.join(out, "results.json")) as f:
                results = json.load(f)
            with open(os.path.join(out, "results.md")) as f:
                md = f.read()
            self.assertTrue(os.path.exists(os.path.join(out, "intervals.svg")))
        return calls, results, md

    def test_rounds_stop_per_group_and_at_the_cap(self):
        calls, results, md = self.run_bench(
            ["--tests", "tcp_tx_1,ping", "--runs", "4", "--max-runs", "6"],
            {"tcp_tx_1": 0.15, "ping": 0.001}, [0.5] + [0.0] * 100)
        # Two configurations, both drivers, 6 rounds: the wide group to the
        # cap, the narrow one only in the first 4; the first guest again,
        # because other processes took half the machine.
        self.assertEqual(len(calls), 2 * 2 * 6 + 1)
        self.assertEqual(calls[0], calls[1])
        calls = calls[1:]
        self.assertEqual(results["meta"]["interfered_repeated"], 1)
        self.assertEqual(results["meta"]["interfered_kept"], 0)
        self.assertEqual(sum("ping" in c[3] for c in calls), 2 * 2 * 4)
        s = results["samples"]
        self.assertEqual(len(s["on|equal|re1000|tcp_tx_1_mbps"]), 6)
        self.assertEqual(len(s["on|defaults|e1000|ping_rtt_p50_ms"]), 4)
        # Each round alternates which driver goes first.
        first = [c[0] for c in calls[0::2][:4]]
        self.assertEqual(first, ["e1000", "re1000", "e1000", "re1000"])
        verdicts = {(r["config"], r["figure"]): r["verdict"] for r in results["rows"]}
        self.assertEqual(verdicts[("defaults", "tcp_tx_1_mbps")], "ahead")
        self.assertIn("Driver or default", md)
        self.assertIn("[", md)

    def test_disturbed_guest_kept_after_the_repeats(self):
        _, results, _ = self.run_bench(
            ["--tests", "ping", "--runs", "4", "--max-runs", "4", "--config", "defaults",
             "--retries", "1"], {"ping": 0.001}, [0.5, 0.5] + [0.0] * 100)
        self.assertEqual(results["meta"]["interfered_repeated"], 1)
        self.assertEqual(results["meta"]["interfered_kept"], 1)
        self.assertEqual(len(results["guests"]), 8)

    def test_equal_configuration_reaches_both_drivers(self):
        a = type("A", (), {"equal_rings": [256, 256], "equal_itr": 4000})()
        bench = load_bench()
        self.assertEqual(bench.driver_config("e1000", "defaults", a), ([], {}))
        params, env = bench.driver_config("e1000", "equal", a)
        self.assertIn("InterruptThrottleRate=4000", params)
        self.assertEqual(env["BENCH_RX_RING"], 256)
        params, env = bench.driver_config("re1000", "equal", a)
        self.assertEqual(params, [])
        self.assertEqual(env["BENCH_RX_USECS"], 250)


def load_qemu_run():
    import importlib.machinery
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "qemu/run")
    loader = importlib.machinery.SourceFileLoader("qemu_run", path)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


class QemuPinning(unittest.TestCase):
    """qemu/run --pin, on a QEMU that is started paused (-S): no guest runs."""

    def test_parse_pin(self):
        run = load_qemu_run()
        self.assertIsNone(run.parse_pin("none", 2, [0, 1]))
        self.assertEqual(run.parse_pin("auto", 2, [0, 1]), ([0, 1], {0}))
        self.assertEqual(run.parse_pin("auto", 2, [3]), ([3, 3], {3}))
        self.assertEqual(run.parse_pin("0,1:1", 2, [0, 1]), ([0, 1], {1}))
        with self.assertRaises(ValueError):
            run.parse_pin("0,7", 2, [0, 1])

    @unittest.skipUnless(__import__("shutil").which("qemu-system-x86_64"), "no QEMU")
    def test_threads_pinned(self):
        import signal
        import subprocess
        run = load_qemu_run()
        allowed = sorted(os.sched_getaffinity(0))
        vcpus, rest = run.parse_pin("auto", 2, allowed)
        proc = subprocess.Popen(
            ["qemu-system-x86_64", "-nodefaults", "-display", "none", "-S", "-m", "64M",
             "-name", "t,debug-threads=on", "-accel", "tcg,thread=multi", "-smp", "2"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            done = run.pin_threads(proc.pid, vcpus, rest)
            seen = {}
            for tid in os.listdir(f"/proc/{proc.pid}/task"):
                with open(f"/proc/{proc.pid}/task/{tid}/comm") as f:
                    name = f.read().strip()
                seen[name] = os.sched_getaffinity(int(tid))
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        self.assertIn("CPU 0/TCG: " + str(vcpus[0]), done)
        self.assertEqual(seen["CPU 0/TCG"], {vcpus[0]})
        self.assertEqual(seen["CPU 1/TCG"], {vcpus[1]})
        others = [v for k, v in seen.items() if not k.startswith("CPU ")]
        self.assertTrue(others and all(v == rest for v in others))


class HostLoad(unittest.TestCase):
    def test_busy_share_and_others(self):
        before = bs.cpu_times("cpu  100 0 100 800 0 0 0 0 0 0\n")
        after = bs.cpu_times("cpu  400 0 200 1000 0 0 0 0 0 0\n")
        self.assertEqual(before, (200, 1000))
        self.assertAlmostEqual(bs.busy_share(before, after), 400 / 600)
        # 4 s of our own CPU at 100 Hz is 400 jiffies: nothing left for others.
        self.assertEqual(bs.others_share(before, after, 4.0, hz=100), 0.0)
        self.assertAlmostEqual(bs.others_share(before, after, 1.0, hz=100), 300 / 600)

    def test_reference_speed_is_positive(self):
        ref = bs.reference_speed(repeats=1)
        self.assertGreater(ref["sha256_mb_per_s"], 0)
        self.assertGreater(ref["python_mloops_per_s"], 0)


class Agreement(unittest.TestCase):
    @staticmethod
    def row(fig, verdict, config="defaults"):
        return {"mitigation": "on", "config": config, "figure": fig, "verdict": verdict,
                "kind": "ratio", "estimate": 1.0, "low": 0.9, "high": 1.1}

    def test_pairs_and_contradictions(self):
        a = [self.row("x", "ahead"), self.row("y", "unsure"), self.row("z", "ahead"),
             self.row("x", "behind", "equal"), self.row("only_a", "ahead")]
        b = [self.row("z", "behind"), self.row("y", "unsure"), self.row("x", "unsure"),
             self.row("x", "behind", "equal")]
        pairs, contra = bs.agreement(a, b)
        # Matched on mitigation, configuration and figure, in A's order;
        # a figure missing from one run is left out.
        self.assertEqual([(k[1], k[2], same) for k, _, _, same in pairs],
                         [("defaults", "x", False), ("defaults", "y", True),
                          ("defaults", "z", False), ("equal", "x", True)])
        # Only ahead against behind is a contradiction, not ahead against unsure.
        self.assertEqual(contra, [("on", "defaults", "z")])

    def test_compare_exit_status(self):
        import json
        import subprocess
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench")
        with tempfile.TemporaryDirectory() as d:
            for name, rows in (("a", [self.row("x", "ahead")]), ("b", [self.row("x", "ahead")]),
                               ("c", [self.row("x", "unsure")])):
                os.makedirs(os.path.join(d, name))
                with open(os.path.join(d, name, "results.json"), "w") as f:
                    json.dump({"rows": rows}, f)
            same = subprocess.run([script, "--compare", os.path.join(d, "a"), os.path.join(d, "b")],
                                  stdout=subprocess.PIPE, text=True)
            differ = subprocess.run([script, "--compare", os.path.join(d, "a"),
                                     os.path.join(d, "c", "results.json")],
                                    stdout=subprocess.PIPE, text=True)
        self.assertEqual(same.returncode, 0)
        self.assertIn("1 of 1 verdicts agree", same.stdout)
        self.assertEqual(differ.returncode, 1)
        self.assertIn("0 of 1 verdicts agree", differ.stdout)


class Chart(unittest.TestCase):
    def test_one_interval_per_ratio(self):
        rows = [dict(bs.compare(noisy(700, 0.05, 6, s), noisy(800, 0.05, 6, s + 1)),
                     label=f"figure {s}") for s in range(3)]
        rows.append(dict(bs.compare([0] * 5, [1] * 5), label="a difference"))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "chart.svg")
            bs.svg_intervals(rows, path)
            with open(path) as f:
                svg = f.read()
        self.assertEqual(svg.count("<circle"), 3)
        self.assertEqual(svg.count('opacity="0.5"'), 3)
        self.assertIn("figure 2", svg)
        self.assertTrue(svg.rstrip().endswith("</svg>"))


if __name__ == "__main__":
    unittest.main()
