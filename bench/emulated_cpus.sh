#!/usr/bin/env bash
# Emulated CPUs: does a CPU-variants build of llama.cpp (GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS,
# installer/README.md) pick the right CPU backend, and does a build for the build machine's CPU die?
# Runs under QEMU user-mode emulation (Debian: apt-get install qemu-user), one line per check.
#
#   bench/emulated_cpus.sh
#
# Environment (each part runs only when its folder is given):
#   VARIANTS_BIN  folder with llama-bench and the variant libraries beside it, e.g. the
#                 build-wheel/bin that `bench/compat_cost.py --wheel-venv VENV --builds wheel` makes
#   NATIVE_BIN    folder with a llama-bench built with GGML_NATIVE=ON (expected: SIGILL)
#   FROZEN        a frozen folder (dist/MoEscope) built with the variants wheel: its engine process
#                 loads a model and answers 4 tokens under emulation, then its
#                 `--self-test --no-window` runs under emulation
#   MODEL         GGUF to run (default: a synthetic llama F32 MoE written with `python -m app
#                 make-demo-model`; Gemma 3 270M takes about 30 s per run under -cpu Nehalem)
#   CPUS          QEMU CPU models (default "Nehalem Haswell": SSE4.2 without AVX; AVX2)
#   PYTHON        Python with MoEscope's dependencies (default .venv/bin/python)
#   SELFTEST_TIMEOUT  seconds for each emulated self-test (default 1800)
# Expected: Nehalem -> libggml-cpu-sse42.so, Haswell -> libggml-cpu-haswell.so. QEMU's TCG has no
# AVX-512 or AMX, so the higher variants cannot be checked this way.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
CPUS="${CPUS:-Nehalem Haswell}"
QEMU="$(command -v qemu-x86_64 || true)"
[ -n "$QEMU" ] || { echo "emulated_cpus: qemu-x86_64 is missing (apt-get install qemu-user)" >&2; exit 2; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
if [ -z "${MODEL:-}" ]; then
    MODEL="$TMP/demo-f32.gguf"
    (cd "$ROOT" && "$PYTHON" -m app make-demo-model "$MODEL" --arch llama --dtype f32 >/dev/null)
fi
failures=0
expect_variant() {  # cpu -> the variant ggml should pick
    case "$1" in
        Nehalem*|Westmere*) echo sse42 ;;
        SandyBridge*) echo sandybridge ;;
        IvyBridge*) echo ivybridge ;;
        Haswell*|Broadwell*|Skylake-Client*) echo haswell ;;
        *) echo "" ;;
    esac
}
now() { date +%s.%N; }
secs() { printf "%.1f" "$(echo "$2 - $1" | bc)"; }

echo "| what | -cpu | exit | seconds | CPU backend loaded | result |"
echo "|---|---|---|---|---|---|"

if [ -n "${VARIANTS_BIN:-}" ]; then
    for cpu in $CPUS; do
        t0=$(now)
        (cd "$VARIANTS_BIN" && "$QEMU" -cpu "$cpu" ./llama-bench -m "$MODEL" -p 8 -n 4 -r 1 -t 2) \
            >"$TMP/out" 2>"$TMP/err"
        rc=$?
        t1=$(now)
        loaded="$(sed -n 's/.*loaded CPU backend from .*\/\(libggml-cpu-[a-z0-9_]*\.so\).*/\1/p' "$TMP/err" | head -n 1)"
        tg="$(grep -o 'tg4 *| *[0-9.]*' "$TMP/out" | grep -o '[0-9.]*$')"
        want="$(expect_variant "$cpu")"
        verdict="ok (tg4 ${tg:-?} t/s)"
        if [ "$rc" -ne 0 ] || { [ -n "$want" ] && [ "$loaded" != "libggml-cpu-$want.so" ]; }; then
            verdict="FAILED (expected libggml-cpu-$want.so)"; failures=$((failures + 1))
        fi
        echo "| variants llama-bench | $cpu | $rc | $(secs "$t0" "$t1") | ${loaded:-none} | $verdict |"
    done
fi

if [ -n "${NATIVE_BIN:-}" ]; then
    for cpu in $CPUS; do
        t0=$(now)
        (cd "$NATIVE_BIN" && "$QEMU" -cpu "$cpu" ./llama-bench -m "$MODEL" -p 8 -n 4 -r 1 -t 2) \
            >"$TMP/out" 2>"$TMP/err"
        rc=$?
        t1=$(now)
        verdict="dies as expected"
        [ "$rc" -eq 132 ] || { verdict="UNEXPECTED (expected SIGILL, 132)"; failures=$((failures + 1)); }
        echo "| GGML_NATIVE=ON llama-bench | $cpu | $rc | $(secs "$t0" "$t1") | (linked in) | $verdict |"
    done
fi

if [ -n "${FROZEN:-}" ]; then
    # PyInstaller's bootloader starts itself again (execve, with LD_LIBRARY_PATH set) and QEMU's user
    # mode does not follow execve: the new image would run on the real CPU. These are the variables
    # the bootloader gives its second start; with them it runs on in the emulated process.
    PYI_ENV=(env "_PYI_ARCHIVE_FILE=$FROZEN/moescope" _PYI_PARENT_PROCESS_LEVEL=-1 _PYI_LINUX_PROCESS_NAME=moescope
             "LD_LIBRARY_PATH=$FROZEN/_internal${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
    for cpu in $CPUS; do
        # 1. The frozen engine process itself under emulation: load (fast settings, probed), 4 tokens.
        t0=$(now)
        "$PYTHON" - "$QEMU" "$cpu" "$FROZEN/moescope" "$MODEL" "${PYI_ENV[@]}" >"$TMP/engine" 2>"$TMP/err" <<'PY'
import json, subprocess, sys
qemu, cpu, exe, model = sys.argv[1:5]
proc = subprocess.Popen([*sys.argv[5:], qemu, "-cpu", cpu, exe, "--engine-host"], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=sys.stderr)
def send(message):
    proc.stdin.write((json.dumps(message) + "\n").encode()); proc.stdin.flush()
def until(*events):
    for line in proc.stdout:
        message = json.loads(line)
        if message.get("event") in events + ("error",):
            return message
    return {"event": "lost", "returncode": proc.wait()}
result = until("ready")
if result.get("event") == "ready":
    send({"cmd": "load", "path": model, "n_ctx": 256, "n_threads": 2, "experts_per_token": None,
          "safe": False, "probe": True})
    result = until("loaded")
if result.get("event") == "loaded":
    send({"cmd": "generate", "prompt": "hi", "max_tokens": 4, "temperature": 0.0, "seed": 0})
    result = until("finished")
if result.get("event") == "finished":
    send({"cmd": "shutdown"})
proc.stdin.close()
code = proc.wait(timeout=120)
print(json.dumps({"last": result.get("event"), "answer_tokens": result.get("answer_tokens"),
                  "error": result.get("message"), "exit": code}))
PY
        rc=$?
        t1=$(now)
        loaded="$(sed -n 's/.*loaded CPU backend from .*\/\(libggml-cpu-[a-z0-9_]*\.so\).*/\1/p' "$TMP/err" | head -n 1)"
        want="$(expect_variant "$cpu")"
        verdict="$(tail -n 1 "$TMP/engine")"
        if [ "$rc" -ne 0 ] || ! grep -q '"last": "finished"' "$TMP/engine" \
                || { [ -n "$want" ] && [ "$loaded" != "libggml-cpu-$want.so" ]; }; then
            verdict="FAILED: $verdict $(tail -n 2 "$TMP/err" | tr '\n' ' ')"; failures=$((failures + 1))
        fi
        echo "| frozen engine process (load + 4 tokens) | $cpu | $rc | $(secs "$t0" "$t1") | ${loaded:-none} | ${verdict//|//} |"

        # 2. The frozen self-test under emulation, its engine process included. The self-test starts
        # the engine with execve, which QEMU's user mode does not follow; so it runs in a user and
        # mount namespace of its own with a binfmt_misc instance of its own (Linux >= 6.7; nothing
        # changes outside the namespace) that hands every non-PIE x86-64 executable (the
        # PyInstaller bootloader is one; QEMU and the system's programs are PIE) to QEMU, with the
        # CPU model from QEMU_CPU. Whether the engine process was emulated is read from /proc.
        t0=$(now)
        unshare --user --map-root-user --mount bash -s "$cpu" "$QEMU" "$FROZEN/moescope" \
            "${SELFTEST_TIMEOUT:-1800}" >"$TMP/selftest" 2>"$TMP/err" <<'SH'
set -u
cpu="$1" qemu="$2" exe="$3" limit="$4"
descendants() { local child; for child in $(pgrep -P "$1" || true); do echo "$child"; descendants "$child"; done; }
mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || { echo "no binfmt_misc in a user namespace" >&2; exit 3; }
printf '%s' ":qemu-etexec:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff:$qemu:" \
    >/proc/sys/fs/binfmt_misc/register || exit 3
QEMU_CPU="$cpu" QT_QPA_PLATFORM=offscreen timeout "$limit" "$exe" --self-test --no-window &
pid=$!
seen=""
while kill -0 "$pid" 2>/dev/null; do
    for p in $(descendants "$pid"); do
        tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q -- "--engine-host" || continue
        case "$(readlink "/proc/$p/exe" 2>/dev/null)" in *qemu*) seen="emulated" ;; ?*) [ -z "$seen" ] && seen="native" ;; esac
    done
    sleep 0.3
done
wait "$pid"
rc=$?
echo "ENGINE_PROCESS=${seen:-not seen}" >&2
exit "$rc"
SH
        rc=$?
        t1=$(now)
        engine_exe="$(sed -n 's/^ENGINE_PROCESS=//p' "$TMP/err" | tail -n 1)"
        fails="$(grep -c '^FAIL' "$TMP/selftest" || true)"
        oks="$(grep -c '^OK' "$TMP/selftest" || true)"
        speed="$(grep -o '[0-9.]* tokens/s' "$TMP/selftest" | head -n 1)"
        verdict="$oks OK, $fails FAIL; engine process ${engine_exe:-not seen}; ${speed:-}"
        if [ "$rc" -ne 0 ] || [ "$engine_exe" != "emulated" ]; then
            verdict="FAILED ($verdict): $(grep '^FAIL' "$TMP/selftest" | head -n 2 | tr '\n' ' ') $(tail -n 1 "$TMP/err")"
            failures=$((failures + 1))
        fi
        echo "| frozen --self-test --no-window | $cpu | $rc | $(secs "$t0" "$t1") | | ${verdict//|//} |"
    done
fi

echo
echo "$failures failed"
[ "$failures" -eq 0 ]
