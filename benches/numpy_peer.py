#!/usr/bin/env python3
"""The NumPy peer: the reference scenario written as a user would in NumPy.

This is the yardstick of issue 22's CPU-time target ("the simulator at least
10x a vectorised NumPy implementation of the same model"): the strongest
thing a user would plausibly write instead of the simulator. It models
exactly scenarios/reference.toml (it refuses any other value of the keys
that shape the work) by the rules of docs/credit-rules.md:

- calendar renewal on the 1st (day 0 is 2026-01-01, a renewal day); the
  grant is min(50, max(0, 150 - balance)) after the excess over the cap of
  150 is trimmed, soonest-expiring first (§3, §8.12);
- every lot expires 90 days after the day it arrived, gone at the start of
  that day (§3); spending takes the soonest-expiring credits;
- Poisson demand, mean 3 per workday (Mon-Fri), blocked (and lost) when the
  balance is 0 (§4b, §5);
- each trial draws its response rate p once from the beta whose 5th and
  95th percentiles are 0.10 and 0.25 (§5); each day's responders among the
  InMails sent are an exact binomial draw (n = sent that day, p);
- each responder's delay is lognormal with median 2 and 90th percentile 12
  days; the response arrives max(1, ceil(delay)) days later, is counted in
  the cycle it arrives if that is within the horizon, and refunds one
  credit on that day if it came within the 90-day window (§3, §4c, §8.2);
  a refund is a fresh lot, expiring 90 days after the refund day (§8.5).

How it is vectorised. Every array has one entry per trial and the only
Python loop is over the 365 days. Because every lot lives exactly 90 days,
spending, expiry and the renewal trim all take the oldest credits, so the
lots of a trial are two running totals: credits added (A) and credits gone
(G), the balance being A - G. Expiry on day d moves G up to A as it stood
at the end of day d - 90's arrivals (kept in a 90-day ring). Refunds due
on later days sit in a 91-day ring of counts; each day's responders are
drawn at once for all trials (np.repeat of the trial index by the binomial
counts, one lognormal delay per responder) and scattered into the ring and
the per-cycle response counts with np.add.at. NumPy only: no numba, no
SciPy (the beta fit below uses a continued fraction in plain Python).

Usage:
  python3 benches/numpy_peer.py [--scenario FILE] [--trials N] [--seed S]
                                [--compare SUMMARY_CSV]
--compare checks the peer's monthly means (cycle by cycle) against a
summary.csv written by `inmail-sim run` of the same scenario: every
difference must be within 4 standard errors (of the difference, from both
sides' se), else the exit status is 1. With 12 cycles and 11 metrics,
a chance failure has probability about 132 x 6.3e-5 = 0.8%.
"""

import argparse
import datetime
import math
import sys
import tomllib

import numpy as np

# Catalog values of sales_navigator_core (credit-rules §2, Help 57013).
MONTHLY_CREDITS = 50
CAP = 150
EXPIRY_DAYS = 90
PRICE_MONTHLY = 119.99
Z90 = 1.2815515655446004  # standard normal 90th percentile
ONE = np.int32(1)


def reference_parameters(path):
    """The reference's parameters; refuses values this peer does not model."""
    with open(path, "rb") as f:
        s = tomllib.load(f)
    expected = {
        ("plan", "id"): "sales_navigator_core",
        ("plan", "billing"): "monthly",
        ("demand", "distribution"): "poisson",
        ("demand", "weekends"): False,
        ("demand", "backlog"): False,
        ("response", "redraw"): "trial",
        ("response", "declines_share"): 0,
        ("delay", "distribution"): "lognormal",
        ("refunds", "declines"): True,
        ("refunds", "expiry"): "fresh",
        ("open_profile", "share"): 0,
        ("addons", "policy"): "never",
    }
    for (table, key), want in expected.items():
        got = s.get(table, {}).get(key, want)
        if got != want:
            sys.exit(f"{path}: {table}.{key} = {got!r}: the peer models only {want!r}")
    rate = s["response"]["rate"]
    if not (isinstance(rate, dict) and rate.get("distribution") == "beta" and "low" in rate):
        sys.exit(f"{path}: response.rate must be a beta given by low and high")
    for key in ("seats", "follow_ups", "floor", "plan_change"):
        if key in s:
            sys.exit(f"{path}: {key} is not modelled by the peer")
    return {
        "seed": s.get("seed", 1),
        "trials": s.get("trials", 100000),
        "months": s.get("months", 12),
        "start": s.get("start_date", datetime.date(2026, 1, 1)),
        "per_workday": float(s["demand"]["per_workday"]),
        "low": rate["low"],
        "high": rate["high"],
        "median": float(s["delay"].get("median_days", 2)),
        "p90": float(s["delay"].get("p90_days", 12)),
        "window": s.get("refunds", {}).get("window_days", 90),
    }


def betainc(a, b, x):
    """Regularised incomplete beta I_x(a, b) (continued fraction, Lentz)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - betainc(b, a, 1.0 - x)
    ln_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                + a * math.log(x) + b * math.log1p(-x))
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return math.exp(ln_front) * h / a


def bisect(f, lo, hi, iterations=200):
    """Root of an increasing f on [lo, hi]."""
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if f(mid) < 0.0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def fit_beta_interval90(low, high):
    """alpha, beta with 5th percentile `low` and 95th `high` (credit-rules §5)."""

    def mean_for(k):
        # I_low falls as the mean rises: the mean that puts 5% below `low`.
        return bisect(lambda m: 0.05 - betainc(m * k, (1 - m) * k, low), 1e-9, 1 - 1e-9, 100)

    def width_error(log_k):
        k = math.exp(log_k)
        m = mean_for(k)
        return betainc(m * k, (1 - m) * k, high) - 0.95

    k = math.exp(bisect(width_error, math.log(1e-3), math.log(1e7), 80))
    m = mean_for(k)
    return m * k, (1 - m) * k


def simulate(par, trials, seed):
    """Per-cycle metrics, each an array of shape (months, trials)."""
    rng = np.random.default_rng(seed)
    start = par["start"]
    months = par["months"]
    # Calendar renewal: the 1st of every month; cycle c runs from renewal c.
    renewals = []
    y, m = start.year, start.month
    for _ in range(months + 1):
        renewals.append((datetime.date(y, m, 1) - start).days)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if start.day != 1:
        sys.exit("the peer models a start on the 1st only (calendar cycles)")
    days = renewals[-1]
    cycle_of = np.repeat(np.arange(months), np.diff(renewals))
    workday = [(start + datetime.timedelta(d)).weekday() < 5 for d in range(days)]

    alpha, beta = fit_beta_interval90(par["low"], par["high"])
    p = rng.beta(alpha, beta, trials)
    mu = math.log(par["median"])
    sigma = (math.log(par["p90"]) - mu) / Z90
    window = par["window"]
    if window >= 91:
        sys.exit("the refund ring holds 91 days: window_days must be at most 90")

    names = ("demand", "sent_paid", "responses", "refunds", "granted",
             "expired", "trimmed", "end_balance", "exhausted")
    out = {n: np.zeros((months, trials), dtype=np.int32) for n in names}
    added = np.zeros(trials, dtype=np.int64)  # A: credits ever added
    gone = np.zeros(trials, dtype=np.int64)  # G: credits ever spent, expired or trimmed
    added_ring = np.zeros((EXPIRY_DAYS, trials), dtype=np.int32)  # A at the end of day d's arrivals
    refund_ring = np.zeros((91, trials), dtype=np.int32)  # refunds due on day d, at d % 91
    responses_flat = out["responses"].reshape(-1)  # (cycle, trial) flattened, a view
    refund_flat = refund_ring.reshape(-1)  # (day % 91, trial) flattened, a view
    trial_index = np.arange(trials)
    renewal_days = set(renewals[:-1])

    for d in range(days):
        c = cycle_of[d]
        # 1. Expiry: lots that arrived on day d - 90 are gone today.
        if d >= EXPIRY_DAYS:
            floor = added_ring[d % EXPIRY_DAYS]
            new_gone = np.maximum(gone, floor)
            out["expired"][c] += new_gone - gone
            gone = new_gone
        # 2. Renewal: trim the excess over the cap, then grant up to the cap.
        if d in renewal_days:
            balance = added - gone
            trim = np.maximum(balance - CAP, 0)
            gone = gone + trim
            out["trimmed"][c] += trim
            grant = np.minimum(MONTHLY_CREDITS, CAP - (balance - trim))
            added = added + grant
            out["granted"][c] += grant
        # 3. Refunds arriving today, each a fresh lot.
        slot = d % 91
        refunds = refund_ring[slot]
        added += refunds
        out["refunds"][c] += refunds
        refund_ring[slot] = 0
        added_ring[d % EXPIRY_DAYS] = added
        # 4. Sends (workdays only).
        if workday[d]:
            demand = rng.poisson(par["per_workday"], trials)
            sent = np.minimum(demand, added - gone)
            gone += sent
            out["demand"][c] += demand
            out["sent_paid"][c] += sent
            out["exhausted"][c] |= demand > sent  # `blocked` is demand - sent_paid, at the end
            # Exact binomial responders per trial and day; one delay each.
            responders = rng.binomial(sent, p)
            who = np.repeat(trial_index, responders)
            delay = np.maximum(1, np.ceil(rng.lognormal(mu, sigma, who.size))).astype(np.int64)
            arrival = d + delay
            seen = arrival < days
            # A typed scalar keeps np.add.at on its fast path (a Python int
            # 1 makes it about 30x slower).
            np.add.at(responses_flat, cycle_of[arrival[seen]] * trials + who[seen], ONE)
            refunded = seen & (delay <= window)
            np.add.at(refund_flat, (arrival[refunded] % 91) * trials + who[refunded], ONE)
        # 5. End of a cycle: its end balance.
        if d + 1 == days or cycle_of[d + 1] != c:
            out["end_balance"][c] = added - gone
    out["blocked"] = out["demand"] - out["sent_paid"]
    return out, (alpha, beta), renewals


def summary_means(path):
    """{(metric, cycle): (mean, se)} from an inmail-sim summary.csv."""
    means = {}
    with open(path) as f:
        header = None
        for line in f:
            if line.startswith("#"):
                continue
            cells = line.rstrip("\n").split(",")
            if header is None:
                header = cells
                continue
            row = dict(zip(header, cells))
            if row["cycle"].isdigit():
                means[(row["metric"], int(row["cycle"]))] = (float(row["mean"]), float(row["se"]))
    return means


def compare(out, par, summary_csv):
    """Prints the peer's and the simulator's monthly means; True if all within 4 se."""
    sim = summary_means(summary_csv)
    months, trials = out["demand"].shape
    metrics = dict(out)
    metrics["total_cost"] = np.full((months, trials), PRICE_MONTHLY)
    ok = True
    print(f"{'metric':<12} {'peer mean':>10} {'sim mean':>10}   worst cycle: {'z':>6}  (means over the {months} cycles; z = difference / se of the difference)")
    for name, values in metrics.items():
        peer_mean = values.mean(axis=1)
        peer_se = values.std(axis=1, ddof=1) / math.sqrt(trials)
        worst_z, worst_c = 0.0, 1
        sim_means = []
        for c in range(months):
            m, se = sim[(name, c + 1)]
            sim_means.append(m)
            se_diff = math.hypot(se, peer_se[c])
            diff = peer_mean[c] - m
            # The CSV rounds means to about 6 significant digits.
            z = 0.0 if abs(diff) <= 1e-5 * max(1.0, abs(m)) else (diff / se_diff if se_diff > 0 else math.inf)
            if abs(z) > abs(worst_z):
                worst_z, worst_c = z, c + 1
        flag = "ok" if abs(worst_z) <= 4 else "OUTSIDE 4 se"
        ok &= abs(worst_z) <= 4
        print(f"{name:<12} {peer_mean.mean():>10.4f} {np.mean(sim_means):>10.4f}   cycle {worst_c:>2}: {worst_z:>6.2f}  {flag}")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default="scenarios/reference.toml")
    ap.add_argument("--trials", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--compare", metavar="SUMMARY_CSV")
    args = ap.parse_args()
    par = reference_parameters(args.scenario)
    trials = args.trials or par["trials"]
    seed = par["seed"] if args.seed is None else args.seed
    out, (alpha, beta), _ = simulate(par, trials, seed)
    if args.compare:
        print(f"peer: {trials} trials x {par['months']} months, beta({alpha:.6f}, {beta:.6f})")
        sys.exit(0 if compare(out, par, args.compare) else 1)


if __name__ == "__main__":
    main()
