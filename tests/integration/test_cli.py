"""The command line: --check-config, --version, --help, bad options."""

import json
import os
import re
import subprocess
import tempfile

import harness
from harness import PwTestCase


def run(*args, timeout=10):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PAPERWIRE_")}
    p = subprocess.run([harness.daemon_bin()] + list(args),
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout, env=env)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


class CliTest(PwTestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="pw-cli-")
        self.addCleanup(self.tmp.cleanup)
        self.up = self.upstream()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def good_config(self):
        return {
            "listen": "127.0.0.1:%d" % harness.free_port(),
            "database": os.path.join(self.tmp.name, "pw.db"),
            "base_url": "http://127.0.0.1:8080",
            "title": "paperwire",
            "sources": [harness.hf_source(self.up, days=3,
                                          sort="trending")],
            "feeds": [{"name": "hot", "title": "Hot", "description": "Hot",
                       "filter": {"min_upvotes": 10, "q": "llm -agent",
                                  "has_code": True}}],
        }

    def test_check_config_ok(self):
        path = self.write("good.json", json.dumps(self.good_config()))
        rc, out, err = run("--check-config", path)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("OK", out + err)
        # Checking neither polls nor creates the database.
        self.assertEqual(self.up.requests(), [])
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "pw.db")))

    def test_check_config_errors(self):
        cfg = self.good_config()
        cfg["colour"] = "blue"
        cfg["listen"] = "nohost"
        cfg["sources"] = [{"name": "hf-daily", "type": "nope",
                           "url": self.up.url("/api/daily_papers"),
                           "interval": "x"}]
        cfg["feeds"][0]["filter"]["min_upvotes"] = -1
        path = self.write("bad.json", json.dumps(cfg, indent=2))
        rc, out, err = run("--check-config", path)
        self.assertEqual(rc, 1, out + err)
        lines = [l for l in (out + err).splitlines() if l.strip()]
        keys = ["colour", "listen", "sources[0].interval", "sources[0].type",
                "feeds[0].filter.min_upvotes"]
        self.assertEqual(len(lines), len(keys), "\n".join(lines))
        for line in lines:
            self.assertTrue(line.startswith(path + ": "), line)
        for key in keys:
            hits = [l for l in lines
                    if re.match(re.escape(path) + r": " + re.escape(key)
                                + r"\b", l)]
            self.assertEqual(len(hits), 1, "%s in\n%s" % (key,
                                                         "\n".join(lines)))

    def test_check_config_invalid_json(self):
        path = self.write("broken.json",
                          '{\n  "listen": "127.0.0.1:9999",\n'
                          '  "title": oops\n}\n')
        rc, out, err = run("--check-config", path)
        self.assertEqual(rc, 1, out + err)
        lines = [l for l in (out + err).splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith(path + ": "), lines[0])
        rest = lines[0][len(path):]
        self.assertRegex(rest, r"(line\s*3\b|^:3:)")
        self.assertRegex(rest, r"(column\s*\d+|^:3:\d+)")

    def test_check_config_missing_file(self):
        path = os.path.join(self.tmp.name, "absent.json")
        rc, out, err = run("--check-config", path)
        self.assertEqual(rc, 1, out + err)
        lines = [l for l in (out + err).splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith(path + ": "), lines[0])

    def test_start_with_bad_config_fails(self):
        cfg = self.good_config()
        cfg["sources"][0]["type"] = "nope"
        path = self.write("bad.json", json.dumps(cfg))
        rc, out, err = run("--config", path)
        self.assertNotEqual(rc, 0)
        self.assertIn("sources[0].type", out + err)
        self.assertEqual(self.up.requests(), [])

    def test_version(self):
        rc, out, err = run("--version")
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"\b0\.1\.0\b")

    def test_help(self):
        rc, out, err = run("--help")
        self.assertEqual(rc, 0, err)
        for opt in ("--config", "--check-config", "--listen", "--database",
                    "--version"):
            self.assertIn(opt, out)

    def test_unknown_option(self):
        rc, out, err = run("--frobnicate")
        self.assertEqual(rc, 2, out + err)
        self.assertTrue(err.strip(), "a message on stderr")
        rc, out, err = run("--config")  # missing argument
        self.assertEqual(rc, 2, out + err)

    def test_listen_and_database_flags(self):
        # --listen and --database override the config file.
        self.up.serve_bytes("/api/daily_papers", harness.daily_bytes())
        port = harness.free_port()
        cfg_db = os.path.join(self.tmp.name, "from-config.db")
        flag_db = os.path.join(self.tmp.name, "from-flag.db")
        d = self.daemon([harness.hf_source(self.up, days=1)], port=port,
                        extra={"listen": "127.0.0.1:%d" % harness.free_port(),
                               "database": cfg_db},
                        args=["--listen", "127.0.0.1:%d" % port,
                              "--database", flag_db])
        self.assertEqual(d.healthz()["entries"], 30)
        self.assertTrue(os.path.exists(flag_db))
        self.assertFalse(os.path.exists(cfg_db))
        d.stop()


    def test_environment_overrides(self):
        # PAPERWIRE_DATABASE beats the config file.
        self.up.serve_bytes("/api/daily_papers", harness.daily_bytes())
        cfg_db = os.path.join(self.tmp.name, "from-config.db")
        env_db = os.path.join(self.tmp.name, "from-env.db")
        d = self.daemon([harness.hf_source(self.up, days=0)],
                        extra={"database": cfg_db},
                        env={"PAPERWIRE_DATABASE": env_db})
        self.assertEqual(d.healthz()["entries"], 30)
        self.assertTrue(os.path.exists(env_db))
        self.assertFalse(os.path.exists(cfg_db))
        d.stop()

if __name__ == "__main__":
    harness.main()
