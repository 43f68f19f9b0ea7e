"""Headless Chromium driven over the Chrome DevTools Protocol, with the
Python standard library only (a minimal RFC 6455 websocket client).

    with Browser() as b:
        page = b.page()
        page.navigate("http://127.0.0.1:8080/")
        title = page.eval("document.title")
        png = page.screenshot()

Chromium is started with a fresh user data directory and the flags that
keep it from reaching the network on its own (no background networking,
component updates, sync or QUIC); it listens for DevTools on a port it
picks itself (--remote-debugging-port=0) and names in DevToolsActivePort.
Everything stays on 127.0.0.1.
"""

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-quic", "--disable-extensions",
         "--disable-default-apps", "--mute-audio", "--hide-scrollbars"]


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class CdpError(Exception):
    pass


class WebSocket:
    """Just enough of RFC 6455 for DevTools: text frames, masking on the
    client side, fragmented and long frames, ping/pong, close."""

    def __init__(self, url, timeout=30):
        assert url.startswith("ws://"), url
        hostport, _, path = url[5:].partition("/")
        host, _, port = hostport.partition(":")
        self.sock = socket.create_connection((host, int(port)), timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n" % (path, hostport, key))
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise CdpError("websocket handshake: connection closed")
            head += chunk
        head, _, self.pending = head.partition(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise CdpError("websocket handshake refused: %r" % status)

    def _read(self, n):
        while len(self.pending) < n:
            chunk = self.sock.recv(max(65536, n - len(self.pending)))
            if not chunk:
                raise CdpError("websocket closed")
            self.pending += chunk
        data, self.pending = self.pending[:n], self.pending[n:]
        return data

    def _send_frame(self, opcode, payload):
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode("utf-8"))

    def recv(self):
        """The next whole text message."""
        parts = []
        while True:
            b0, b1 = self._read(2)
            opcode, fin = b0 & 0x0F, b0 & 0x80
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise CdpError("websocket closed by the browser")
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode in (0x1, 0x2, 0x0):
                parts.append(payload)
                if fin:
                    return b"".join(parts).decode("utf-8")

    def close(self):
        try:
            self._send_frame(0x8, b"")
        except OSError:
            pass
        self.sock.close()


class Page:
    """One page target: commands, events, and a few conveniences."""

    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Log.enable")

    def call(self, method, timeout=30, **params):
        self.next_id += 1
        my = self.next_id
        self.ws.send(json.dumps({"id": my, "method": method,
                                 "params": params}))
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my:
                if "error" in msg:
                    raise CdpError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)
        raise CdpError("%s: no answer in %ss" % (method, timeout))

    def wait_event(self, method, timeout=30):
        deadline = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == method:
                    return self.events.pop(i)
            if time.time() > deadline:
                raise CdpError("no %s in %ss" % (method, timeout))
            self.ws.sock.settimeout(max(0.1, deadline - time.time()))
            try:
                msg = json.loads(self.ws.recv())
            except socket.timeout:
                continue
            if "method" in msg:
                self.events.append(msg)

    def navigate(self, url, timeout=30):
        self.events = [e for e in self.events
                       if e["method"] != "Page.loadEventFired"]
        res = self.call("Page.navigate", url=url)
        if res.get("errorText"):
            raise CdpError("navigate %s: %s" % (url, res["errorText"]))
        self.wait_event("Page.loadEventFired", timeout)

    def eval(self, expression, await_promise=False):
        """The JSON value of a JavaScript expression."""
        res = self.call("Runtime.evaluate", expression=expression,
                        returnByValue=True, awaitPromise=await_promise)
        if "exceptionDetails" in res:
            raise CdpError("JavaScript: %s" % json.dumps(
                res["exceptionDetails"])[:500])
        return res["result"].get("value")

    def wait_for(self, expression, timeout=15):
        """Polls a JavaScript expression until it is truthy; its value."""
        deadline = time.time() + timeout
        while True:
            v = self.eval(expression)
            if v:
                return v
            if time.time() > deadline:
                raise CdpError("not true within %ss: %s" % (timeout,
                                                             expression))
            time.sleep(0.05)

    def console_errors(self):
        """Log entries and console calls at error level seen so far."""
        self.call("Runtime.evaluate", expression="0")  # drain events
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Log.entryAdded" and \
                    p["entry"].get("level") == "error":
                out.append(p["entry"].get("text", ""))
            elif e["method"] == "Runtime.consoleAPICalled" and \
                    p.get("type") == "error":
                out.append(" ".join(str(a.get("value", ""))
                                    for a in p.get("args", [])))
            elif e["method"] == "Runtime.exceptionThrown":
                out.append(json.dumps(p)[:300])
        return out

    def screenshot(self, width=1200, height=None):
        """A PNG of the whole page at width CSS pixels."""
        h = height or self.eval("document.documentElement.scrollHeight")
        self.call("Emulation.setDeviceMetricsOverride", width=width,
                  height=int(h), deviceScaleFactor=1, mobile=False)
        data = self.call("Page.captureScreenshot", format="png",
                         captureBeyondViewport=True)["data"]
        return base64.b64decode(data)

    def close(self):
        self.ws.close()


class Browser:
    """A headless Chromium process with its own profile directory."""

    def __init__(self, timeout=30):
        path = chromium_path()
        if path is None:
            raise CdpError("chromium is not installed "
                           "(scripts/deps.sh test installs it)")
        self.profile = tempfile.mkdtemp(prefix="pw-chromium-")
        self.log = open(os.path.join(self.profile, "stderr.log"), "wb")
        self.proc = subprocess.Popen(
            [path] + FLAGS + ["--user-data-dir=" + self.profile,
                              "--remote-debugging-address=127.0.0.1",
                              "--remote-debugging-port=0", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + timeout
        self.port = None
        while self.port is None:
            if self.proc.poll() is not None:
                raise CdpError("chromium exited with %s: %s" % (
                    self.proc.returncode, self.stderr()[-2000:]))
            try:
                with open(port_file) as f:
                    first = f.readline().strip()
                if first:
                    self.port = int(first)
            except (OSError, ValueError):
                pass
            if time.time() > deadline:
                self.close()
                raise CdpError("chromium did not open DevTools in %ss"
                               % timeout)
            time.sleep(0.05)
        self.pages = []

    def stderr(self):
        try:
            with open(os.path.join(self.profile, "stderr.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _json(self, path):
        with urllib.request.urlopen("http://127.0.0.1:%d%s"
                                    % (self.port, path), timeout=10) as r:
            return json.loads(r.read())

    def page(self, timeout=15):
        """The first page target, connected."""
        deadline = time.time() + timeout
        while True:
            pages = [t for t in self._json("/json/list")
                     if t.get("type") == "page"]
            if pages:
                p = Page(pages[0]["webSocketDebuggerUrl"])
                self.pages.append(p)
                return p
            if time.time() > deadline:
                raise CdpError("chromium has no page target")
            time.sleep(0.05)

    def close(self):
        for p in self.pages:
            try:
                p.close()
            except OSError:
                pass
        self.pages = []
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
