#!/usr/bin/env python3
"""Plots for docs/benchmarks.md from the raw results in Benchmarks/out (run by Benchmarks/run.sh
with matplotlib from its own venv).

  serve-latency.png  wrk latency by percentile (50 .. 99.99) for each path at 16 connections,
                     taken from the RESULT lines of Benchmarks/serve/tools-call.lua (per-percentile
                     mean over the alternating rounds)
  cli-times.png      hyperfine's per-run wall times for create, probe and apply, both sides

Usage: plot.py OUT_DIR PNG_DIR
"""
import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

out, png = sys.argv[1], sys.argv[2]
DPI = 100
OURS, PEER = "#1f6fb4", "#d95f02"


def nines(p):  # percentile -> position on a "number of nines" axis
    return -math.log10(1 - p / 100)


def serve_latency():
    rows = [json.loads(line) for line in open(f"{out}/serve.jsonl")]
    curves = {}
    for r in rows:
        if "wrk" in r and r.get("conns") == 16 and "pcts_us" in r["wrk"]:
            curves.setdefault(r["name"], []).append(r["wrk"]["pcts_us"])

    def curve(name):
        runs = curves.get(name) or []
        if not runs:
            return None
        keys = sorted(runs[0], key=float)
        return [float(k) for k in keys], [sum(run[k] for run in runs) / len(runs) / 1000 for k in keys]

    panels = [
        ("canned JSON-RPC backend (nginx; stdio for mcp-proxy)", [
            ("direct-canned", "canned nginx, direct", "#888888", ":"),
            ("nginx-proxy", "nginx as proxy", "#2ca02c", "-"),
            ("serve-canned", "serve, modern", OURS, "-"),
            ("serve-canned-legacy", "serve, legacy session", OURS, "--"),
            ("mcp-proxy-canned", "mcp-proxy (stdio canned)", PEER, "-"),
        ]),
        ("real MCP servers", [
            ("direct-sample", "sample server, direct", "#888888", ":"),
            ("serve-sample", "serve → sample server", OURS, "-"),
            ("fastmcp-proxy", "FastMCP proxy → sample server", "#9467bd", "-"),
            ("direct-echo", "FastMCP echo (HTTP), direct", "#bbbbbb", ":"),
            ("serve-echo", "serve → FastMCP echo (HTTP)", OURS, "--"),
            ("mcp-proxy-echo", "mcp-proxy → FastMCP echo (stdio)", PEER, "--"),
        ]),
    ]
    fig, axes = plt.subplots(1, 2, figsize=(11, 5.4), sharey=True)
    ticks = [50, 90, 99, 99.9, 99.99]
    for ax, (title, lines) in zip(axes, panels):
        for name, label, color, style in lines:
            c = curve(name)
            if c:
                ax.plot([nines(p) for p in c[0]], c[1], style, color=color, label=label, marker="o", markersize=3)
        ax.set_title(title, fontsize=10)
        ax.set_yscale("log")
        ax.set_xticks([nines(p) for p in ticks])
        ax.set_xticklabels([f"p{p:g}" for p in ticks])
        ax.set_xlabel("percentile")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    axes[0].set_ylabel("latency (ms, log scale)")
    axes[0].yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axes[0].yaxis.set_minor_formatter(NullFormatter())
    fig.suptitle("MCP tools/call latency by percentile, wrk at 16 connections on loopback", fontsize=11)
    fig.tight_layout()
    fig.savefig(f"{png}/serve-latency.png", dpi=DPI)
    plt.close(fig)


def cli_times():
    panels = [
        ("create.json", "create", {"agentgw": "kubectl agentgw create mcp", "kubectl": "kubectl create deployment"}),
        ("probe.json", "probe", {"agentgw": "kubectl agentgw probe", "python-sdk": "Python SDK client"}),
        ("apply.json", "apply (3 files)", {"agentgw": "kubectl agentgw apply", "kubectl": "kubectl apply --server-side"}),
    ]
    fig, axes = plt.subplots(3, 1, figsize=(8, 5.4))
    for ax, (file, title, names) in zip(axes, panels):
        results = {r["command"]: r for r in json.load(open(f"{out}/{file}"))["results"]}
        data, labels, colors = [], [], []
        for key, label in names.items():
            if key in results:
                data.append([t * 1000 for t in results[key]["times"]])
                labels.append(f"{label}\nmedian {results[key]['median'] * 1000:.1f} ms")
                colors.append(OURS if key == "agentgw" else PEER)
        bp = ax.boxplot(data, orientation="horizontal", widths=0.5, showfliers=False, patch_artist=True)
        for patch, color in zip(bp["boxes"], colors):
            patch.set_facecolor(color)
            patch.set_alpha(0.35)
        for i, (times, color) in enumerate(zip(data, colors), start=1):  # every run, jittered
            ax.scatter(times, [i + ((j * 37) % 21 - 10) / 60 for j in range(len(times))], s=6, color=color, alpha=0.7)
        ax.set_yticks(range(1, len(labels) + 1))
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_title(title, fontsize=10, loc="left")
        ax.grid(True, axis="x", which="both", alpha=0.3)
    axes[-1].set_xlabel("wall time per run (ms, log scale)")
    fig.suptitle("CLI wall times, every hyperfine run", fontsize=11)
    fig.tight_layout()
    fig.savefig(f"{png}/cli-times.png", dpi=DPI)
    plt.close(fig)


serve_latency()
cli_times()
