import { jsonObject, portOf, textField } from "./common";
import type { AuthMatch } from "./syslog-sshd";

// Windows logons forwarded as syslog by an agent (NXLog, Snare, Winlogbeat to syslog, rsyslog's
// imfile of an exported log): event 4625 "An account failed to log on" and 4624 "An account was
// successfully logged on", in the agent's text form or as NXLog's JSON.
//
//   MSWinEventLog	1	Security	4711	Mon Nov 30 10:00:00 2026	4625	Microsoft-Windows-Security-Auditing	N/A	N/A	Failure Audit	WEB-1	Logon		An account failed to log on.  Subject: … Account Name: -  … Account For Which Logon Failed: … Account Name: bob  Account Domain: BANK  Failure Information: Failure Reason: Unknown user name or bad password. … Network Information: Workstation Name: KALI  Source Network Address: 203.0.113.5  Source Port: 51234 …
//   {"EventTime":"2026-11-30 10:00:00","Hostname":"WEB-1","EventID":4625,"TargetUserName":"bob","TargetDomainName":"BANK","IpAddress":"203.0.113.5","IpPort":"51234","LogonType":10,"WorkstationName":"KALI", …}
//
// The time is the syslog header's, as for every other line. A logon with no network address
// ("-", a local console logon) has no source.

// 4776, NTLM credential validation (a domain controller for a domain account, the machine itself
// for a local one), names the client's workstation, not its address:
//
//   The computer attempted to validate the credentials for an account.  Authentication Package: MICROSOFT_AUTHENTICATION_PACKAGE_V1_0  Logon Account: bob  Source Workstation: KALI  Error Code: 0xC000006A
//   {"EventID":4776,"Channel":"Security","PackageName":"MICROSOFT_AUTHENTICATION_PACKAGE_V1_0","TargetUserName":"bob","Workstation":"KALI","Status":"0xc000006a", …}
//
// The workstation is the name the client sent: it is the source as a host name (lower case), never
// as an address. A wrong password (0xC000006A), an unknown account (0xC0000064) and a locked-out
// account (0xC0000234) are failed tries; 0x0 a validation that succeeded; other codes (a disabled
// or expired account, logon hours …) are not read. The machine logged on to also writes the 4625 of
// that try (with the address): the failure counter pairs the two by account and workstation and
// counts the 4625 (detections/attempts.ts, pairingKeys).

/** Tags Windows agents give their lines (NXLog's BSD output uses the event's source). */
const AGENT_TAG = /^(?:nxlog|MSWinEventLog|Microsoft-Windows-Security-Auditing)$/i;

/** What each event's description starts with, and the markers its fields are read between. */
const EVENTS: Record<string, { phrase: RegExp; accountEnd: string; address: string; port: string }> = {
  "4625": { phrase: /^An account failed to log on\./, accountEnd: "Failure Information:", address: "Source Network Address:", port: "Source Port:" },
  "4624": { phrase: /^An account was successfully logged on\./, accountEnd: "Process Information:", address: "Source Network Address:", port: "Source Port:" },
  "4771": { phrase: /^Kerberos pre-authentication failed\./, accountEnd: "Service Information:", address: "Client Address:", port: "Client Port:" },
  "4776": { phrase: /^The (?:computer|domain controller) attempted to validate the credentials for an account\./, accountEnd: "Source Workstation:", address: "Source Workstation:", port: "" },
};

/** 4776's error codes that are a failed try (lower case), with what each says */
const NTLM_FAILURES: Record<string, string> = { "0xc000006a": "wrong password", "0xc0000064": "no such user", "0xc0000234": "account locked out" };

/** A 4776: the account, the client's workstation, the error code. */
function ntlm(user: string | null, workstation: string | null, code: string | null, extra: Record<string, unknown>): AuthMatch | null {
  const status = code?.toLowerCase() ?? "";
  const failed = status in NTLM_FAILURES;
  if (!failed && status !== "0x0") return null;
  // NetBIOS writes it with leading backslashes at times; "-" or nothing: no workstation named
  const from = workstation?.replace(/^\\+/, "") || null;
  if (!failed && (!from || from === "-")) return null;
  return {
    kind: failed ? "auth_failure" : "auth_success",
    severity: failed ? "low" : "info",
    service: "windows",
    signature: failed ? "windows: ntlm credential validation failed (4776)" : "windows: ntlm credential validation (4776)",
    user: user && user !== "-" ? user : null,
    from: from === "-" ? null : from,
    fromIsClientName: true,
    port: null,
    attempt: true,
    attributes: { event_id: 4776, workstation: from ?? undefined, failure: failed ? code : undefined, failure_reason: failed ? NTLM_FAILURES[status] : undefined, invalid_user: status === "0xc0000064" || undefined, ...extra },
  };
}

/**
 * A Windows logon event in a syslog message, or null: NXLog's JSON (untagged, or tagged by an
 * agent), Snare's tab-separated line (the event id from its column, the description from its own),
 * or a description tagged by an agent. The description must start with the event's own phrase, so
 * text quoted inside another program's message, or inside an event's user name, is not read as one.
 */
export function matchWindows(program: string | null, message: string): AuthMatch | null {
  if (program !== null && !AGENT_TAG.test(program)) return null;
  const text = message.trimStart();
  if (text.startsWith("{")) return text.includes('"EventID"') ? fromJson(text) : null;
  // rsyslog escapes the event's tabs and line breaks as #011, #012, #015
  const plain = text.replace(/#01[125]/g, "\t");
  if (plain.startsWith("MSWinEventLog")) {
    const cols = plain.split("\t");
    const id = cols[5]?.trim();
    const spec = id ? EVENTS[id] : undefined;
    const description = cols.find((c) => spec?.phrase.test(c.trim()));
    return spec && description ? fromText(id!, description.trim()) : null;
  }
  if (program === null) return null;
  for (const [id, spec] of Object.entries(EVENTS)) if (spec.phrase.test(plain)) return fromText(id, plain);
  return null;
}
/** 4771 failure codes that are no password guess: 0x25, the client's clock is skewed */
const NOT_A_GUESS = new Set(["0x25"]);

function outcome(id: string, user: string | null, domain: string | null, address: string | null, port: string | null | undefined, extra: Record<string, unknown>): AuthMatch | null {
  if (id === "4771" && typeof extra.failure === "string" && NOT_A_GUESS.has(extra.failure.toLowerCase())) return null;
  // 4771: a domain controller refused Kerberos pre-authentication (a wrong password for a domain
  // account: what spraying against the domain shows, where no 4625 is written)
  const failed = id === "4625" || id === "4771";
  if (!failed && id !== "4624") return null;
  const from = address && address !== "-" && address !== "::1" && address !== "127.0.0.1" ? address.replace(/^::ffff:/i, "") : null;
  // a successful logon that came from no address (services, the console) says nothing about an attack
  if (!failed && !from) return null;
  return {
    kind: failed ? "auth_failure" : "auth_success",
    severity: failed ? "low" : "info",
    service: "windows",
    signature: id === "4771" ? "windows: kerberos pre-authentication failed (4771)" : failed ? "windows: logon failed (4625)" : "windows: logon (4624)",
    user: user && user !== "-" ? user : null,
    from,
    // NXLog writes "0" when the logon carried no port
    port: portOf(port ?? undefined) || null,
    attempt: true,
    attributes: { event_id: Number(id), domain: domain && domain !== "-" ? domain : undefined, ...extra },
  };
}

function fromJson(text: string): AuthMatch | null {
  const r = jsonObject(text);
  if (!r) return null;
  const s = (k: string) => textField(r, k);
  const id = s("EventID");
  if (!id) return null;
  // the Security log's auditing source, not any JSON that happens to carry an EventID
  if (s("Channel") !== "Security" && s("SourceName") !== "Microsoft-Windows-Security-Auditing" && s("ProviderName") !== "Microsoft-Windows-Security-Auditing") return null;
  if (id === "4776") return ntlm(s("TargetUserName"), s("Workstation"), s("Status"), { package: s("PackageName") ?? undefined, computer: s("Hostname") ?? undefined });
  return outcome(id, s("TargetUserName"), s("TargetDomainName"), s("IpAddress"), s("IpPort"), {
    logon_type: s("LogonType") ?? undefined,
    workstation: s("WorkstationName") ?? undefined,
    failure: s("FailureReason") ?? s("Status") ?? undefined,
    computer: s("Hostname") ?? undefined,
  });
}

/** The text between the last `end` and the last `start` before it, spaces folded (null: a marker missing). */
function between(text: string, start: string, end: string): string | null {
  const stop = text.lastIndexOf(end);
  if (stop < 0) return null;
  const at = text.lastIndexOf(start, stop);
  return at < 0 ? null : text.slice(at + start.length, stop).replace(/\s+/g, " ");
}

/** The value after the last `marker` (up to two spaces or a tab), or null. */
function after(text: string, marker: string): string | null {
  const at = text.lastIndexOf(marker);
  if (at < 0) return null;
  const m = /^[ \t]{0,16}(\S{1,256})/.exec(text.slice(at + marker.length, at + marker.length + 300));
  return m ? m[1] : null;
}

/**
 * The account: the last "Account Name:" (not "Network Account Name:") before the section that
 * follows the account's, up to its "Account Domain:" (a name may hold spaces). The client chooses
 * the name, so the fields around it are read from the other side of it: the address is the last
 * one of the description, after everything a client can write.
 */
/** The last `marker` in `head` that is not "Network <marker>" (4624's delegated account). */
function lastOwn(head: string, marker: string): number {
  let at = head.lastIndexOf(marker);
  while (at >= 8 && head.slice(at - 8, at) === "Network ") at = head.lastIndexOf(marker, at - 1);
  return at;
}

function accountOf(text: string, end: string): string | null {
  const stop = text.lastIndexOf(end);
  const head = stop >= 0 ? text.slice(0, stop) : text;
  const at = lastOwn(head, "Account Name:");
  if (at < 0) return null;
  const rest = head.slice(at + "Account Name:".length);
  const domain = rest.indexOf("Account Domain:");
  const value = (domain >= 0 ? rest.slice(0, domain) : rest).replace(/\s+/g, " ").trim();
  return value && value.length <= 256 ? value : null;
}

/** 4624/4625's workstation: one word up to the address's marker, none when the field is empty (not the marker's first word). */
function workstationOf(text: string): string | undefined {
  const field = between(text, "Workstation Name:", "Source Network Address:");
  if (field === null) return after(text, "Workstation Name:") ?? undefined;
  return /^ ?(\S{1,256}) ?$/.exec(field)?.[1];
}

function fromText(id: string, text: string): AuthMatch | null {
  const spec = EVENTS[id];
  if (id === "4776") {
    // the account runs up to the workstation's marker (a name may hold spaces); the error code is the last field, after all the client wrote
    const account = /^[ \t]*(.{1,256}?)[ \t]*$/.exec(between(text, "Logon Account:", "Source Workstation:") ?? "")?.[1] ?? null;
    // the workstation is often empty: read up to the error code's marker, one word or none
    const workstation = /^ ?(\S{1,256}) ?$/.exec(between(text, "Source Workstation:", "Error Code:") ?? "")?.[1] ?? null;
    return ntlm(account, workstation, after(text, "Error Code:"), { package: after(text, "Authentication Package:") ?? undefined });
  }
  const reason = id === "4625" ? /Failure Reason:\s{0,16}([^\t\r\n]{1,200}?\.)/.exec(text)?.[1] : undefined;
  const extra: Record<string, unknown> = id === "4771" ? { failure: after(text, "Failure Code:") ?? undefined, service_name: after(text, "Service Name:") ?? undefined } : { logon_type: after(text, "Logon Type:") ?? undefined, workstation: workstationOf(text), failure: reason };
  const stop = text.lastIndexOf(spec.accountEnd);
  const head = stop >= 0 ? text.slice(0, stop) : text;
  const domainAt = lastOwn(head, "Account Domain:");
  const domain = id === "4771" || domainAt < 0 ? null : (/^Account Domain:[ \t]{0,16}(\S{1,256})/.exec(head.slice(domainAt))?.[1] ?? null);
  return outcome(id, accountOf(text, spec.accountEnd), domain, after(text, spec.address), after(text, spec.port), extra);
}
