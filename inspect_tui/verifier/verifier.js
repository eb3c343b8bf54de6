// The office's verifier page: checks a record QR payload (core/qr_payload.py, core/qr_link.py)
// exactly as `inspect-tui verify` does, with WebCrypto, offline. Nothing leaves the page.
"use strict";
(function () {
  const CONFIG = JSON.parse(document.getElementById("config").textContent);
  const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  const URL41 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*+-.:";
  const ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const SUPPORTED = [1, 2];
  const MAX_INPUT_CHARS = 1000;
  const MIN_BODY = 4 + 7 + 2 + 2 + 2 + 4 + 16 + 64;
  const UNSCORED = 0xffff;
  const LINK_RE = /^HTTPS?:\/\/[^#?=]*[/#=](IT[0-9]{1,3}:R-[0-9A-Z-]*:)([^/#?=]*)$/i;
  let lang = CONFIG.lang || "zh";

  // ---- words ---------------------------------------------------------------------------
  function t(key, params) {
    const entry = CONFIG.text[lang][key] || CONFIG.text.zh[key] || key;
    return entry.replace(/\{(\w+)\}/g, (m, name) =>
      params && name in params ? String(params[name]) : m);
  }

  // ---- codecs (as core.qr_payload.group_decode and core.record_id) ---------------------
  function groupDecode(text, alphabet) {
    const radix = alphabet.length;
    if (text.length % 3 === 1) return null;
    const out = [];
    for (let i = 0; i < text.length; i += 3) {
      const group = text.slice(i, i + 3).split("").map((ch) => alphabet.indexOf(ch));
      if (group.some((v) => v < 0)) return null;
      const n = group.reduce((sum, v, k) => sum + v * radix ** k, 0);
      if (n > (group.length === 3 ? 0xffff : 0xff)) return null;
      if (group.length === 3) out.push(n >> 8, n & 0xff); else out.push(n);
    }
    return new Uint8Array(out);
  }

  function gf32Mul(a, b) {
    let product = 0;
    while (b) {
      if (b & 1) product ^= a;
      b >>= 1;
      a <<= 1;
      if (a & 0x20) a ^= 0x25;
    }
    return product;
  }

  function formatRecordId(data) {  // nine symbols and the GF(32) check symbol
    let total = 0, weight = 1;
    for (const ch of data) {
      weight = gf32Mul(weight, 2);
      total ^= gf32Mul(ID_ALPHABET.indexOf(ch), weight);
    }
    const body = data + ID_ALPHABET[total];
    return "R-" + body.slice(0, 5) + "-" + body.slice(5);
  }

  function canonicalRecordId(text) {  // the canonical form, or null (strict: as printed)
    const m = /^R-([0-9A-HJKMNP-TV-Z]{5})-([0-9A-HJKMNP-TV-Z]{5})$/.exec(text);
    if (!m) return null;
    const symbols = m[1] + m[2];
    return formatRecordId(symbols.slice(0, 9)) === text ? text : null;
  }

  function idFromBytes(raw) {
    let n = 0n;
    for (const b of raw) n = n * 256n + BigInt(b);
    if (n >> 50n) return null;
    let symbols = "";
    for (let i = 9; i >= 0; i--) symbols += ID_ALPHABET[Number((n >> BigInt(5 * i)) & 31n)];
    return canonicalRecordId("R-" + symbols.slice(0, 5) + "-" + symbols.slice(5));
  }

  const ascii = (s) => new TextEncoder().encode(s);
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const concat = (a, b) => { const c = new Uint8Array(a.length + b.length); c.set(a); c.set(b, a.length); return c; };

  // ---- the payload ----------------------------------------------------------------------
  class Refusal {
    constructor(status, key, params) { this.status = status; this.key = key; this.params = params; }
  }

  // {version, plainId, body} of a plain text in `alphabet`, or a Refusal (core.qr_payload._split)
  function split(text, alphabet, source) {
    if (text.length > MAX_INPUT_CHARS) {
      return new Refusal("invalid", "qr.input_too_long",
        { source, length: text.length, limit: MAX_INPUT_CHARS });
    }
    text = text.trim();
    const prefix = /^IT([0-9]{1,3}):/.exec(text);
    if (!prefix) return new Refusal("invalid", "qr.not_ours", { source, start: text.slice(0, 12) });
    const version = parseInt(prefix[1], 10);
    if (!SUPPORTED.includes(version) || prefix[0] !== "IT" + version + ":") {
      return new Refusal("invalid", "qr.unsupported_version",
        { source, version: prefix[1], supported: SUPPORTED.join("/IT") });
    }
    const rest = text.slice(prefix[0].length);
    const colon = rest.indexOf(":");
    const plainId = colon < 0 ? "" : rest.slice(0, colon);
    const body = colon < 0 ? null : groupDecode(rest.slice(colon + 1), alphabet);
    if (!canonicalRecordId(plainId) || !body || body.length < MIN_BODY + (version > 1 ? 1 : 0)) {
      return new Refusal("invalid", "qr.malformed", { source });
    }
    return { version, plainId, body };
  }

  function readFields(recordId, signed, version) {  // core.qr_payload._read_fields
    let pos = 4 + 7;
    const texts = [];
    for (let k = 0; k < 2; k++) {
      const length = pos < signed.length ? signed[pos] : 0;
      const raw = signed.slice(pos + 1, pos + 1 + length);
      if (length === 0 || raw.length !== length) return null;
      try {
        texts.push(new TextDecoder("utf-8", { fatal: true }).decode(raw));
      } catch (e) {
        return null;
      }
      pos += 1 + length;
    }
    const rest = signed.slice(pos);
    const stated = version > 1 ? 1 : 0;
    if (rest.length !== 2 + 4 + stated + 16 || (stated && rest[6] === 0)) return null;
    const units = rest[0] * 256 + rest[1];
    return {
      recordId, site: texts[0], criterion: texts[1],
      score: units === UNSCORED ? null : units / 100,
      time: ((rest[2] << 24) >>> 0) + (rest[3] << 16) + (rest[4] << 8) + rest[5],
      rules: stated ? "inspect-tui/scoring-" + rest[6] : "",
      digest: hex(rest.slice(6 + stated)),
    };
  }

  const keyCache = new Map();
  function importKey(signer) {
    if (!keyCache.has(signer.point)) {
      const point = Uint8Array.from(signer.point.match(/../g), (h) => parseInt(h, 16));
      keyCache.set(signer.point, crypto.subtle.importKey(
        "raw", point, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]));
    }
    return keyCache.get(signer.point);
  }

  async function signedBy(signer, header, signedBody, rawSig) {
    // WebCrypto takes the raw r || s form (IEEE P1363) the payload carries: no DER here.
    return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, await importKey(signer),
      rawSig, concat(ascii(header), signedBody));
  }

  // The verdict for a plain payload text: {status, key, params, fields, signer}
  async function decodePayload(text, alphabet, source) {
    const parts = split(text, alphabet, source);
    if (parts instanceof Refusal) return parts;
    const { version, plainId, body } = parts;
    const kid = hex(body.slice(0, 4));
    const rawSig = body.slice(body.length - 64);
    const signedBody = body.slice(0, body.length - 64);
    const candidates = CONFIG.signers.filter((s) => s.key_id === kid);
    if (!candidates.length) return new Refusal("unknown", "qr.unknown_key", { source, key_id: kid });
    const header = (id) => "IT" + version + ":" + id + ":";
    let signer = null;
    for (const c of candidates) {
      if (await signedBy(c, header(plainId), signedBody, rawSig)) { signer = c; break; }
    }
    const bodyId = idFromBytes(body.slice(4, 11));
    if (!signer) {
      if (bodyId && bodyId !== plainId) {
        for (const c of candidates) {
          if (await signedBy(c, header(bodyId), signedBody, rawSig)) {
            return new Refusal("invalid", "qr.record_id_mismatch",
              { source, shown: plainId, signed: bodyId });
          }
        }
      }
      return new Refusal("invalid", "qr.bad_signature", { source, record_id: plainId });
    }
    if (bodyId !== plainId) {
      return new Refusal("invalid", "qr.record_id_mismatch",
        { source, shown: plainId, signed: bodyId || "?" });
    }
    const fields = readFields(plainId, signedBody, version);
    if (!fields) return new Refusal("invalid", "qr.malformed", { source });
    return { status: "valid", fields, signer: signer.name };
  }

  // Any text: a link to this page (URL41 after its last "/", "#" or "="), or a plain code.
  function check(text, fromLocation) {
    const source = t("verifier.page.source");
    text = text.trim();
    const link = LINK_RE.exec(text);
    if (link) return decodePayload(link[1].toUpperCase() + link[2].toUpperCase(), URL41, source);
    if (/^https?:\/\//i.test(text)) return new Refusal("invalid", "qr.malformed", { source });
    return decodePayload(text, fromLocation ? URL41 : B45, source);
  }

  function payloadInLocation() {
    const raw = (s) => { try { return decodeURIComponent(s); } catch (e) { return s; } };
    const query = /[?&]p=([^&]*)/.exec(location.search);
    if (query) return raw(query[1]);
    if (/^#IT/i.test(location.hash)) return raw(location.hash.slice(1));
    const tail = location.pathname.split("/").pop();
    return /^IT[0-9]/i.test(tail) ? raw(tail) : "";
  }

  // ---- showing results ------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  const results = [];

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function when(seconds) {
    const d = new Date(seconds * 1000);
    const p = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " +
      p(d.getHours()) + ":" + p(d.getMinutes());
  }

  function card(verdict) {
    const box = el("article", "result " + verdict.status);
    box.dataset.status = verdict.status;
    const badge = { valid: "✓ ", invalid: "✗ ", unknown: "? " }[verdict.status];
    box.append(el("h3", "badge", badge + t("verifier.page." + verdict.status)));
    const rows = el("dl");
    const row = (key, value) => {
      rows.append(el("dt", "", t("verifier.page." + key)), el("dd", "f-" + key, value));
    };
    const f = verdict.fields;
    if (f) {
      box.append(el("p", "note", t("verifier.page.valid_note")));
      // Names from the reports built into the page: only for this very record (its digest).
      const named = CONFIG.named.records[f.recordId];
      const same = named && named[4] === f.digest;
      if (named && !same) box.append(el("p", "note other", t("verifier.page.other_version")));
      const score = f.score === null ? t("verifier.page.unscored") : String(f.score);
      row("record_id", f.recordId);
      row("signer", verdict.signer);
      row("inspection", same ? CONFIG.named.inspections[named[0]]
        : t("verifier.page.inspection_unknown"));
      row("site", same ? named[1] + "（" + f.site + "）" : f.site);
      row("criterion", same ? f.criterion + " " + named[2] : f.criterion);
      row("score", same && f.score !== null ? score + " / " + named[3] : score);
      row("time", when(f.time));
      row("rules", f.rules || t("verifier.page.rules_none"));
    } else {
      row("reason", t(verdict.key, verdict.params));
    }
    box.append(rows);
    return box;
  }

  function render() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("verifier.page.title");
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    $("built").textContent = t("verifier.page.built", { date: CONFIG.built });
    const list = $("results");
    list.replaceChildren(...results.map(card));
    $("results-title").hidden = results.length === 0;
  }

  async function show(text, fromLocation) {
    let verdict;
    try {
      verdict = await check(text, fromLocation);
    } catch (e) {  // no WebCrypto (an insecure http address)
      verdict = new Refusal("invalid", "verifier.page.no_crypto", {});
    }
    results.unshift(verdict);
    render();
  }

  // ---- the camera -----------------------------------------------------------------------
  let stream = null, lastText = "", detector = null;
  // For the console and the tests: check a text, and which decoder the camera uses.
  const api = window.inspectVerifier = { check: (text) => check(text, false), decoder: "" };

  async function startScan() {
    const status = $("scan-status");
    try {
      stream = await navigator.mediaDevices.getUserMedia(
        { video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      status.textContent = t("verifier.page.no_camera", { reason: e && e.name ? e.name : String(e) });
      return;
    }
    const video = $("video");
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    status.textContent = t("verifier.page.scanning");
    $("scan").hidden = true;
    $("stop").hidden = false;
    if ("BarcodeDetector" in window) {
      try {
        const formats = await BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) detector = new BarcodeDetector({ formats: ["qr_code"] });
      } catch (e) { detector = null; }
    }
    api.decoder = detector ? "BarcodeDetector" : "jsQR";
    requestAnimationFrame(tick);
  }

  function stopScan() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    $("video").hidden = true;
    $("scan").hidden = false;
    $("stop").hidden = true;
    $("scan-status").textContent = "";
  }

  const canvas = document.createElement("canvas");
  async function read(video) {
    if (detector) {
      const found = await detector.detect(video);
      return found.length ? found[0].rawValue : "";
    }
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0);
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return code ? code.data : "";
  }

  async function tick() {
    if (!stream) return;
    const video = $("video");
    if (video.readyState >= 2 && video.videoWidth) {
      const text = await read(video).catch(() => "");
      if (text && text !== lastText) {  // the same code held up stays one result
        lastText = text;
        if (navigator.vibrate) navigator.vibrate(80);
        await show(text, false);
      }
    }
    setTimeout(() => requestAnimationFrame(tick), 120);
  }

  // ---- wiring ---------------------------------------------------------------------------
  $("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; render(); });
  $("scan").addEventListener("click", startScan);
  $("stop").addEventListener("click", stopScan);
  $("paste-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("paste").value;
    if (text.trim()) show(text, false);
  });
  const list = $("signers");
  for (const s of CONFIG.signers) list.append(el("li", "", s.name + "  " + s.fingerprint));
  render();
  const initial = payloadInLocation();
  if (initial) show(initial, true);
})();
