"""Wall time of `infra-deploy deploy --app` at --concurrency 1 and 4, side by side.

Starts moto_with_exports.py on a free 127.0.0.1 port, writes an app manifest with the
e2e test's shape (STACKS stacks per stage: chains and independent ones importing each
other's exports) at one stage per run, and alternates the two settings so both see the
same machine load. Prints each run and the median and spread per setting.

    .venv/bin/python infra-deploy/tests/support/bench_concurrency.py [RUNS] [STACKS]
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
BIN = os.path.join(ROOT, "target/debug/infra-deploy")


def template(imports):
    resources = {"Topic": {"Type": "AWS::SNS::Topic"}}
    for i, name in enumerate(imports):
        resources[f"From{i}"] = {"Type": "AWS::SNS::Topic", "Properties": {
            "DisplayName": {"Fn::ImportValue": f"{name}-arn"}}}
    return {"Resources": resources, "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"},
            "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-arn"}}}}}


def services(count):
    """Stack i imports stack i-3 when i >= 3: three chains deployable side by side."""
    return [(f"s{i}", [f"s{i - 3}"] if i >= 3 else []) for i in range(count)]


def manifest(stages, count):
    """The shape of infra_model::app::Manifest: the catalogue and the stacks."""
    stacks = []
    for stage in stages:
        for name, imports in services(count):
            stacks.append({"app": "api", "service": name, "stage": stage,
                           "stack_name": f"{name}-{stage}",
                           "template": json.dumps(template([f"{i}-{stage}" for i in imports]))})
    catalogue = {"app": "api", "services": [
        {"service": name, "stages": stages, "outputs": []} for name, _ in services(count)]}
    return {"catalogue": catalogue, "stacks": stacks}


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_EC2_METADATA_DISABLED="true")
    moto = subprocess.Popen([os.path.join(ROOT, ".venv/bin/python"),
                             os.path.join(ROOT, "infra-deploy/tests/support/moto_with_exports.py"),
                             "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.1)
        stages = [f"b{i}" for i in range(2 * runs)]
        times = {1: [], 4: []}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "manifest.json")
            with open(path, "w") as f:
                json.dump(manifest(stages, count), f)
            for i, stage in enumerate(stages):
                concurrency = 1 if i % 2 == 0 else 4
                started = time.monotonic()
                out = subprocess.run([BIN, "deploy", "--app", path, "--stage", stage, "--yes",
                                      "--concurrency", str(concurrency),
                                      "--outputs-dir", os.path.join(tmp, "out"),
                                      "--endpoint-url", f"http://127.0.0.1:{port}"],
                                     env=env, capture_output=True, text=True)
                took = time.monotonic() - started
                if out.returncode != 0:
                    sys.exit(f"run {stage} failed:\n{out.stdout}\n{out.stderr}")
                times[concurrency].append(took)
                print(f"run {i + 1}: --concurrency {concurrency}: {took:.2f} s")
        for concurrency, values in times.items():
            print(f"--concurrency {concurrency}: median {statistics.median(values):.2f} s, "
                  f"min {min(values):.2f}, max {max(values):.2f} ({len(values)} runs, "
                  f"{count} stacks)")
    finally:
        moto.kill()
        moto.wait()


if __name__ == "__main__":
    main()
