#!/usr/bin/env python3
"""Where a worker's CPU went, from a dotnet-trace speedscope file (dotnet-sampled-thread-time): every sample whose
leaf is CPU_TIME adds its time to each distinct frame on its stack. Used by scripts/profile.sh."""
import json, sys, collections

data = json.load(open(sys.argv[1]))
frames = [f["name"] for f in data["shared"]["frames"]]
cpu = {i for i, name in enumerate(frames) if name == "CPU_TIME"}
inclusive, leaf_parent = collections.Counter(), collections.Counter()
total = 0.0
for profile in data["profiles"]:
    stack, last = [], None
    for e in profile["events"]:
        at = e["at"]
        if stack and last is not None and stack[-1] in cpu:
            spent = at - last
            total += spent
            for name in {frames[f] for f in stack[:-1]}:
                inclusive[name] += spent
            if len(stack) > 1:
                leaf_parent[frames[stack[-2]]] += spent
        last = at
        if e["type"] == "O":
            stack.append(e["frame"])
        else:
            stack.pop()
total = total or 1
print(f"CPU time sampled in the worker: {total / 1000:.1f} s (all threads)")

def show(title, counter, keep, n):
    print(f"\n{title}")
    for name, ms in sorted(((k, v) for k, v in counter.items() if keep(k)), key=lambda kv: -kv[1])[:n]:
        print(f"  {100 * ms / total:5.1f}%  {name.split('!', 1)[-1][:140]}")

show("methods on CPU (self time):", leaf_parent, lambda k: True, 20)
show("the app's own frames (inclusive CPU):", inclusive,
     lambda k: k.startswith("Participa.") and "AsyncStateMachineBox" not in k, 20)
areas = ["Azure.Data.Tables", "Azure.Core", "System.Net.Http", "System.Text.Json", "Microsoft.Extensions.Logging", "OpenTelemetry",
         "Microsoft.Azure.Functions.Worker", "Grpc", "Microsoft.AspNetCore.Server.Kestrel", "System.Security.Cryptography"]
print("\nby library (largest inclusive frame of each; they overlap):")
for area in areas:
    top = max((v for k, v in inclusive.items() if k.startswith(area + "!") or k.startswith(area + ".")), default=0)
    print(f"  {100 * top / total:5.1f}%  {area}")
