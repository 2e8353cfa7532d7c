"""Writes hostile_cases.json: hostile signing inputs and what the official Huawei Cloud Python
SDK signer (huaweicloudsdkcore 3.1.219, huaweicloudsdkcore/signer/signer.py, class Signer) makes
of them. runtime/tests/signer_corpus.rs checks the runtime's signer against every case.

Regenerate (needs network once, for the official package):

    python3 -m venv /tmp/hwsdk && /tmp/hwsdk/bin/pip install huaweicloudsdkcore==3.1.219
    /tmp/hwsdk/bin/python runtime/tests/signer_corpus/generate.py > runtime/tests/signer_corpus/hostile_cases.json

The inputs are what a request of the runtime can carry: a Host header (the runtime signs the
host it connects to), an X-Sdk-Date, header names without two spellings of one name (the
runtime refuses those: HTTP would send both), header values of visible ASCII, spaces and tabs
(what an HTTP header value can hold). Everything else is fair game: paths with percent escapes,
invalid escapes and non-ASCII, query keys and values with every reserved character, repeated
keys, headers with underscores, padded values, every kind of Content-Type, bodies empty or not.
"""

import copy
import json
import random

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

random.seed(20261122)

PATH_PIECES = [
    "v1", "v3", "{project_id}", "caf%C3%A9", "café", "%E4%B8%AD%E6%96%87", "中文", "a%2Fb",
    "a%252F", "%25", "100%", "%zz", "%C3", "sp%20ace", "sp ace", "a+b", "~user", "..", ".",
    "", "x=y", "a;b", "a,b", "(x)", "*", "!'", "@me", "UPPER", "tag%3Avalue", "emoji%F0%9F%98%80",
]
QUERY_TEXT = [
    "", "1", "a b", "a+b", "a&b", "a=b", "café", "中", "~", "*", "%", "%20", "/", "?", "#",
    "Z", "z", "A", "limit", "marker", "key_with_underscore", "x" * 40, "!$'()*,;:@", "\t",
]
CONTENT_TYPES = [
    "application/json", "application/json;charset=UTF-8", "application/json; charset=utf-8",
    "application/bson", "application/bson+x", "APPLICATION/JSON", "text/plain",
    "application/octet-stream", "multipart/form-data; boundary=----x",
    "application/x-www-form-urlencoded", "application/jsonp", "application/xml", " application/json",
]
HEADER_NAMES = [
    "X-Custom", "x-lower", "X-UPPER", "X-Project-Id", "X-Language", "User-Agent", "Accept",
    "X_Under_Score", "x_also_under", "X-Empty", "X-Trace-Id", "If-Match",
]
HEADER_VALUES = [
    "v", "  padded  ", "\tTabbed\t", "a  b", "", "UPPER", "=;,:", "zh-cn", "*/*", "\"quoted\"",
    "x" * 60, "a\tb",
]
BODIES = ["", "{}", "{\"a\":1}", "plain text", "caf\u00e9", "x" * 300, "--b\r\ncontent\r\n--b--"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get", "Post"]


def case(index):
    method = random.choice(METHODS)
    pieces = [random.choice(PATH_PIECES) for _ in range(random.randint(1, 5))]
    path = "/" + "/".join(pieces)
    if random.random() < 0.2:
        path += "/"
    query = []
    for _ in range(random.choice([0, 0, 1, 2, 3, 5])):
        key = random.choice(QUERY_TEXT[1:])
        query.append((key, random.choice(QUERY_TEXT)))
    if query and random.random() < 0.3:
        query.append((query[0][0], random.choice(QUERY_TEXT)))
    headers = {"Host": random.choice(["kms.cn-north-4.myhuaweicloud.com", "127.0.0.1:8080", "HOST.example"])}
    if random.random() < 0.6:
        name = random.choice(["Content-Type", "Content-Type", "content-type"])
        headers[name] = random.choice(CONTENT_TYPES)
    taken = {k.lower() for k in headers}
    for _ in range(random.randint(0, 4)):
        name = random.choice(HEADER_NAMES)
        if name.lower() in taken:
            continue
        taken.add(name.lower())
        headers[name] = random.choice(HEADER_VALUES)
    headers["X-Sdk-Date"] = "20261122T%02d%02d%02dZ" % (index % 24, index % 60, (index * 7) % 60)
    body = random.choice(BODIES)
    return method, path, query, headers, body


def sign(method, path, query, headers, body, ak, sk):
    request = SdkRequest(method=method, schema="https", host=headers["Host"], resource_path=path,
                         query_params=list(query), header_params=dict(headers),
                         body=body.encode("utf-8"))
    signer = Signer(BasicCredentials(ak, sk))
    # Step by step, as Signer.sign does, to record the canonical request.
    replay = copy.deepcopy(request)
    signer._process_content_header(replay)
    when = signer._process_header_time(replay)
    signer._process_header_host(replay)
    signed_headers = signer._process_signed_headers(replay)
    canonical = signer._process_canonical_request(replay, signed_headers)
    string_to_sign = signer._process_string_to_sign(canonical, when)
    signature = signer._sign_string_to_sign(string_to_sign, sk)
    signed = signer.sign(request)
    authorization = signed.header_params["Authorization"]
    assert authorization.endswith("Signature=" + signature), (authorization, signature)
    added = [[k, v] for k, v in signed.header_params.items()
             if k not in headers and k != "Authorization"]
    return {
        "canonical_request": canonical,
        "signed_headers": ";".join(signed_headers),
        "signature": signature,
        "authorization": authorization,
        "added_headers": added,
        "wire_uri": signed.uri,
    }


def main():
    cases = []
    for index in range(320):
        method, path, query, headers, body = case(index)
        ak, sk = "AK%04d" % index, "SK/+=%04d" % index
        expected = sign(method, path, query, headers, body, ak, sk)
        cases.append({
            "name": "hostile_%03d" % index,
            "method": method,
            "path": path,
            "query": [list(p) for p in query],
            "headers": [[k, v] for k, v in headers.items()],
            "body": body,
            "ak": ak,
            "sk": sk,
            **expected,
        })
    print(json.dumps({
        "_comment": "Generated by generate.py beside this file with huaweicloudsdkcore 3.1.219; see its docstring.",
        "cases": cases,
    }, ensure_ascii=False, indent=1))


main()
