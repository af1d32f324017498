#!/usr/bin/env python3
"""One-port scans of builds alternated run by run, beside nmap: on a machine shared with other work,
alternating keeps the comparison fair where hyperfine's one-command-after-another would not.
Each round starts only after half a second with the CPUs at least 90 % idle (or after 30 s).
Run it inside a private namespace whose only listener is 127.0.0.1:8080, as bench/startup.sh does:
  unshare -rn bash -c 'ip link set lo up; python3 -m http.server 8080 --bind 127.0.0.1 & listener=$!; sleep 1;
                       python3 bench/startup-alternating.py 40 BUILD_BEFORE BUILD_AFTER nmap; kill $listener; wait $listener'
A BUILD is a folder holding portscan and portscan-worker (dotnet publish Coordinator -o BUILD)."""
import resource, statistics, subprocess, sys, time


def idle_fraction(seconds=0.5):
    def read():
        fields = list(map(int, open('/proc/stat').readline().split()[1:]))
        return sum(fields), fields[3] + fields[4]
    total0, idle0 = read()
    time.sleep(seconds)
    total1, idle1 = read()
    return (idle1 - idle0) / max(1, total1 - total0)


def wait_until_quiet(threshold=0.9, limit=30):
    start = time.time()
    while time.time() - start < limit and idle_fraction() < threshold:
        pass


def command(build):
    if build == 'nmap':
        return ['nmap', '-sT', '-p', '8080', '-n', '-Pn', '127.0.0.1']
    return [build + '/portscan', 'scan', '127.0.0.1', '-p', '8080', '-w', '1', '--no-progress']


rounds, builds = int(sys.argv[1]), sys.argv[2:]
wall = {b: [] for b in builds}
cpu = {b: [] for b in builds}
for round in range(rounds + 2):  # the first two rounds warm the page cache and are not counted
    wait_until_quiet()
    for build in builds:
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        subprocess.run(command(build), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        elapsed, after = time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        if round >= 2:
            wall[build].append(elapsed * 1000)
            cpu[build].append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
for build in builds:
    w = wall[build]
    print(f'{build:12s} mean {statistics.mean(w):6.1f} ± {statistics.stdev(w):5.1f}  median {statistics.median(w):6.1f}'
          f'  min {min(w):6.1f} ms   cpu {statistics.mean(cpu[build]):6.1f} ms')
