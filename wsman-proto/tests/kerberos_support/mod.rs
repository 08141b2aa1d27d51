//! Test support: a throwaway MIT Kerberos realm on loopback and a pyspnego peer process.
//!
//! [`Kdc::start`] runs `scripts/kdc-setup.sh` in a fresh temporary folder (realm
//! `WEFKIT.TEST`, generated passwords, service keytab with `HTTP/` and `HOST/` principals,
//! AES256/AES128/RC4 keys), starts `krb5kdc -n` on a free loopback port with its own
//! `KRB5_CONFIG`/`KRB5_KDC_PROFILE`, and obtains a ticket for `user@WEFKIT.TEST`. Dropping it
//! kills the KDC by PID and removes the folder. Missing tools fail loudly.
//!
//! [`Peer`] is `tests/peers/krb_peer.py` (pyspnego on python-gssapi) speaking JSON lines.
#![expect(
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    reason = "test support: failing loudly is the point"
)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

pub(crate) const REALM: &str = "WEFKIT.TEST";
pub(crate) const USER: &str = "user@WEFKIT.TEST";

/// A running throwaway KDC.
pub(crate) struct Kdc {
    pub(crate) dir: PathBuf,
    child: Child,
}

fn free_port() -> u16 {
    for _ in 0..50 {
        let tcp = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = tcp.local_addr().expect("local addr").port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port for the KDC");
}

fn find_tool(name: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"] {
        let p = Path::new(dir).join(name);
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "{name} not found: the Kerberos tests need MIT krb5 (krb5-kdc krb5-admin-server krb5-user); run scripts/setup.sh"
    );
}

impl Kdc {
    /// Creates the realm and starts the KDC.
    pub(crate) fn start() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("wefkit-krb-{}-{nanos}", std::process::id()));
        let port = free_port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/kdc-setup.sh");
        let krb5kdc = find_tool("krb5kdc");
        find_tool("kdb5_util");
        find_tool("kadmin.local");
        let out = Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .arg(port.to_string())
            .output()
            .expect("run scripts/kdc-setup.sh");
        assert!(
            out.status.success(),
            "kdc-setup.sh failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let log = std::fs::File::create(dir.join("krb5kdc.out")).expect("kdc log");
        let child = Command::new(krb5kdc)
            .args(["-n", "-r", REALM])
            .env("KRB5_CONFIG", dir.join("krb5.conf"))
            .env("KRB5_KDC_PROFILE", dir.join("kdc.conf"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start krb5kdc");
        let kdc = Self { dir, child };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "krb5kdc did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        for enctype in [
            None,
            Some("aes256-cts-hmac-sha1-96"),
            Some("aes128-cts-hmac-sha1-96"),
            Some("arcfour-hmac"),
        ] {
            kdc.kinit(enctype);
        }
        kdc
    }

    fn kinit(&self, enctype: Option<&str>) {
        let password = std::fs::read(self.dir.join("user.password")).expect("user password");
        let mut child = Command::new(find_tool("kinit"))
            .arg(USER)
            .env("KRB5_CONFIG", self.conf(enctype))
            .env("KRB5CCNAME", self.ccache(enctype))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run kinit");
        let mut stdin = child.stdin.take().expect("kinit stdin");
        stdin.write_all(&password).expect("password to kinit");
        stdin.write_all(b"\n").expect("newline to kinit");
        drop(stdin);
        let out = child.wait_with_output().expect("kinit");
        assert!(
            out.status.success(),
            "kinit failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The user's password.
    pub(crate) fn user_password(&self) -> String {
        std::fs::read_to_string(self.dir.join("user.password")).expect("user password")
    }

    /// The krb5.conf for clients asking for `enctype` session keys (MIT name), or the default.
    pub(crate) fn conf(&self, enctype: Option<&str>) -> PathBuf {
        match enctype {
            None => self.dir.join("krb5.conf"),
            Some(e) => self.dir.join(format!("krb5-{e}.conf")),
        }
    }

    pub(crate) fn keytab(&self) -> PathBuf {
        self.dir.join("service.keytab")
    }

    /// The user's credential cache with a TGT of `enctype` (MIT name), or the default one.
    pub(crate) fn ccache(&self, enctype: Option<&str>) -> String {
        let name = enctype.map_or_else(|| "ccache".to_owned(), |e| format!("ccache-{e}"));
        format!("FILE:{}", self.dir.join(name).display())
    }

    /// Points this process's GSSAPI at the realm (`KRB5_CONFIG`, `KRB5_KTNAME`, `KRB5CCNAME`).
    ///
    /// Call only while no other thread uses the environment (the Kerberos tests run in one
    /// test function).
    #[expect(
        unsafe_code,
        reason = "set_var: single-threaded test setup of the GSSAPI environment"
    )]
    pub(crate) fn use_conf(&self, enctype: Option<&str>) {
        // SAFETY: the Kerberos KDC tests run sequentially in one test function; nothing else
        // in this test binary reads or writes the environment concurrently.
        unsafe {
            std::env::set_var("KRB5_CONFIG", self.conf(enctype));
            std::env::set_var("KRB5_KTNAME", self.keytab());
            std::env::set_var("KRB5CCNAME", self.ccache(enctype));
        }
    }

    /// The KDC's log, for failure messages.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("kdc.log")).unwrap_or_default()
    }
}

impl Drop for Kdc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A pyspnego peer process.
pub(crate) struct Peer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Peer {
    /// Starts `tests/peers/krb_peer.py` with the realm's environment for clients of `enctype`
    /// (MIT name; `None`: the default configuration).
    pub(crate) fn start(kdc: &Kdc, enctype: Option<&str>) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/krb_peer.py");
        let mut child = Command::new("python3")
            .arg(script)
            .env("KRB5_CONFIG", kdc.conf(enctype))
            .env("KRB5_KTNAME", kdc.keytab())
            .env("KRB5CCNAME", kdc.ccache(enctype))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 (with gssapi and pyspnego: scripts/setup.sh) for the Kerberos peer");
        let stdin = child.stdin.take().expect("peer stdin");
        let stdout = BufReader::new(child.stdout.take().expect("peer stdout"));
        Self {
            child,
            stdin,
            stdout,
        }
    }

    /// Sends one request; returns the answer or the peer's error text.
    pub(crate) fn try_call(&mut self, req: &Value) -> Result<Value, String> {
        let mut line = serde_json::to_string(req).expect("json");
        line.push('\n');
        self.stdin
            .write_all(line.as_bytes())
            .expect("write to peer");
        self.stdin.flush().expect("flush peer");
        let mut answer = String::new();
        self.stdout.read_line(&mut answer).expect("read from peer");
        assert!(
            !answer.is_empty(),
            "the python peer exited (missing gssapi/pyspnego?)"
        );
        let v: Value = serde_json::from_str(&answer).expect("peer json");
        match v.get("error") {
            Some(e) => Err(e.as_str().unwrap_or("?").to_owned()),
            None => Ok(v),
        }
    }

    /// Sends one request; panics on the peer's error.
    pub(crate) fn call(&mut self, req: &Value) -> Value {
        match self.try_call(req) {
            Ok(v) => v,
            Err(e) => panic!("python peer failed {req}: {e}"),
        }
    }

    pub(crate) fn step(&mut self, token: Option<&[u8]>) -> (Option<Vec<u8>>, bool) {
        let a = self.call(&json!({"op": "step", "token": token.map(|t| B64.encode(t))}));
        (
            opt_bytes(&a["token"]),
            a["complete"].as_bool().unwrap_or(false),
        )
    }

    /// [`Peer::step`] that returns the peer's error instead of panicking.
    pub(crate) fn try_step(
        &mut self,
        token: Option<&[u8]>,
    ) -> Result<(Option<Vec<u8>>, bool), String> {
        let a = self.try_call(&json!({"op": "step", "token": token.map(|t| B64.encode(t))}))?;
        Ok((
            opt_bytes(&a["token"]),
            a["complete"].as_bool().unwrap_or(false),
        ))
    }

    pub(crate) fn wrap(&mut self, plain: &[u8]) -> (Vec<u8>, Vec<u8>, usize) {
        let a = self.call(&json!({"op": "wrap", "data": B64.encode(plain)}));
        (
            bytes(&a["header"]),
            bytes(&a["data"]),
            usize::try_from(a["padding_length"].as_u64().expect("padding_length")).expect("usize"),
        )
    }

    pub(crate) fn try_unwrap(&mut self, header: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
        self.try_call(
            &json!({"op": "unwrap", "header": B64.encode(header), "data": B64.encode(data)}),
        )
        .map(|a| bytes(&a["data"]))
    }

    /// `(session key, enctype number, client principal)` as python-gssapi reports them.
    pub(crate) fn info(&mut self) -> (Vec<u8>, Option<i64>, Option<String>) {
        let a = self.call(&json!({"op": "info"}));
        (
            hex::decode(a["session_key"].as_str().expect("session_key")).expect("hex"),
            a["enctype"].as_i64(),
            a["client_principal"].as_str().map(str::to_owned),
        )
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn bytes(v: &Value) -> Vec<u8> {
    B64.decode(v.as_str().expect("base64 string"))
        .expect("base64")
}

pub(crate) fn opt_bytes(v: &Value) -> Option<Vec<u8>> {
    v.as_str().map(|s| B64.decode(s).expect("base64"))
}
