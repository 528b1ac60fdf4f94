#!/usr/bin/python3
"""Submit one chat job to a ChatQueue Redis queue and print the answer as it streams.

Follows docs/wire-format.md (wire format v1) with nothing but redis-py:

    submit_job.py --url redis://127.0.0.1:6379/0 --model deepseek-chat "Hello"

The URL is redis-py's (rediss:// for TLS, ?ssl_ca_certs=FILE for a private CA); the key
prefix is a separate option. The answer goes to stdout, the job id and progress to stderr.
Exit status: 0 succeeded, 1 failed or cancelled, 2 timed out, 130 interrupted (Ctrl+C
asks for the job to be cancelled first).
"""

import argparse
import json
import sys
import time
import uuid

import redis


def submit(client, prefix, profile, request):
    """Queue a job as a ChatQueue client does; returns its id."""
    job_id = str(uuid.uuid4())
    now = int(time.time() * 1000)
    request_json = json.dumps(request, ensure_ascii=False, separators=(",", ":"))
    entry = {"v": 1, "id": job_id, "request": request, "submitted_at": now}
    queued = {"v": 1, "type": "status", "attempt": 0, "status": "queued"}
    job_key = f"{prefix}job:{{{job_id}}}"

    pipe = client.pipeline(transaction=True)
    pipe.hset(job_key, mapping={
        "v": 1, "id": job_id, "status": "queued", "queue": profile,
        "request": request_json, "attempts": 0, "submitted_at": now,
    })
    pipe.zadd(f"{prefix}jobs", {job_id: now})
    pipe.sadd(f"{prefix}queues", profile)
    pipe.xadd(f"{job_key}:events", {"event": json.dumps(queued, separators=(",", ":"))})
    pipe.xadd(f"{prefix}queue:{profile}",
              {"job": json.dumps(entry, ensure_ascii=False, separators=(",", ":"))})
    pipe.execute()
    return job_id


def follow(client, prefix, job_id, deadline):
    """Prints the job's answer as its events arrive; returns the final status or None."""
    events_key = f"{prefix}job:{{{job_id}}}:events"
    last_id = "0-0"
    attempt = 0
    while time.monotonic() < deadline:
        replies = client.xread({events_key: last_id}, count=500, block=1000)
        for _stream, entries in replies or []:
            for entry_id, fields in entries:
                last_id = entry_id
                event = json.loads(fields[b"event"])
                if event.get("v") != 1:
                    continue
                kind = event.get("type")
                if kind == "reset":
                    # A worker died and another starts over: what was shown is void.
                    attempt = event["attempt"]
                    print(f"\n[attempt {attempt} starts over]", file=sys.stderr)
                elif kind == "delta" and event.get("attempt", 0) >= attempt:
                    sys.stdout.write(event.get("content", ""))
                    sys.stdout.flush()
                elif kind == "status":
                    print(f"[{event['status']}]", file=sys.stderr)
                elif kind == "done":
                    return event["status"]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--prefix", default="chatqueue:")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--model", default="")
    parser.add_argument("--system")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait")
    parser.add_argument("prompt")
    args = parser.parse_args()

    messages = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": args.prompt})
    request = {"profile": args.profile, "model": args.model, "messages": messages}

    client = redis.Redis.from_url(args.url)
    job_id = submit(client, args.prefix, args.profile, request)
    print(f"job {job_id}", file=sys.stderr)

    try:
        status = follow(client, args.prefix, job_id, time.monotonic() + args.timeout)
    except KeyboardInterrupt:
        # Ask for cancellation: a running job stops at its worker's next flush and keeps
        # its partial answer; a queued one ends cancelled when a worker picks it up.
        client.set(f"{args.prefix}job:{{{job_id}}}:cancel", 1, ex=86400)
        print(f"\njob {job_id}: cancellation requested", file=sys.stderr)
        return 130
    print()
    if status is None:
        print(f"job {job_id}: no answer within {args.timeout:g} s", file=sys.stderr)
        return 2

    record = client.hgetall(f"{args.prefix}job:{{{job_id}}}")
    error = record.get(b"error", b"")
    if status != "succeeded":
        detail = json.loads(error)["message"] if error else ""
        print(f"job {job_id} {status}: {detail}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
