"""The reference M/M/20 of BENCHMARKS.md in SimPy, for a side-by-side ratio with chatcap.

M/M/20 at occupancy 0.85 (arrivals 255/h, exponential 4-minute service), first come first served, one thread.
usage: python3 benches/simpy_mmc.py [CUSTOMERS]      (default 1,000,000; needs `pip install simpy`)
Prints customers per second of wall time and the mean wait, to compare with Erlang C (about 33 s).
"""
import random
import sys
import time

import simpy

AGENTS = 20
MEAN_SERVICE = 240.0  # seconds
RATE = 0.85 * AGENTS / MEAN_SERVICE  # per second


def main():
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = random.Random(1)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    waits = []

    def customer():
        arrived = env.now
        with agents.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0 / MEAN_SERVICE))

    def source():
        for _ in range(customers):
            yield env.timeout(rng.expovariate(RATE))
            env.process(customer())

    env.process(source())
    start = time.perf_counter()
    env.run()
    elapsed = time.perf_counter() - start
    print(f"simpy {simpy.__version__}: {customers} customers in {elapsed:.2f} s = "
          f"{customers / elapsed / 1000:.1f}k customers/s; mean wait {sum(waits) / len(waits):.1f} s")


main()
