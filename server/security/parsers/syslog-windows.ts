import { portOf } from "./common";
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

/**
 * A Windows logon event in a syslog message, or null: the message is the agent's JSON object, or
 * its text form (which starts with "MSWinEventLog", or is tagged with the auditing source). Text
 * that merely quotes an event inside another program's message is not read as one.
 */
export function matchWindows(program: string | null, message: string): AuthMatch | null {
  if (!message.includes("4625") && !message.includes("4624") && !message.includes("4771")) return null;
  const text = message.trimStart();
  if (text.startsWith("{")) return text.includes('"EventID"') ? fromJson(text) : null;
  const tagged = program !== null && /^(?:MSWinEventLog|Microsoft-Windows-Security-Auditing)$/i.test(program);
  return tagged || text.startsWith("MSWinEventLog") ? fromText(text) : null;
}

function outcome(id: string, user: string | null, domain: string | null, address: string | null, port: string | null | undefined, extra: Record<string, unknown>): AuthMatch | null {
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
  let rec: unknown;
  try {
    rec = JSON.parse(text);
  } catch {
    return null;
  }
  if (!rec || typeof rec !== "object" || Array.isArray(rec)) return null;
  const r = rec as Record<string, unknown>;
  const s = (k: string) => (typeof r[k] === "string" ? (r[k] as string) : typeof r[k] === "number" ? String(r[k]) : null);
  const id = s("EventID");
  if (!id) return null;
  return outcome(id, s("TargetUserName"), s("TargetDomainName"), s("IpAddress"), s("IpPort"), {
    logon_type: s("LogonType") ?? undefined,
    workstation: s("WorkstationName") ?? undefined,
    failure: s("FailureReason") ?? s("Status") ?? undefined,
    computer: s("Hostname") ?? undefined,
  });
}

/** `Name:  value` of the agent's text form; the last one when the event repeats the name (Subject's and the target's Account Name). */
function field(text: string, name: string, last = false): string | null {
  // not "Network Account Name" (4624's delegated account) for "Account Name"
  const re = new RegExp(`(?<!Network )${name}:\\s{0,16}([^\\s]{1,256})`, "g");
  let value: string | null = null;
  for (const m of text.matchAll(re)) {
    value = m[1];
    if (!last) break;
  }
  return value;
}

function fromText(text: string): AuthMatch | null {
  if (/Kerberos pre-authentication failed/.test(text)) {
    return outcome("4771", field(text, "Account Name", true), null, field(text, "Client Address"), field(text, "Client Port"), { failure: field(text, "Failure Code") ?? undefined, service_name: field(text, "Service Name") ?? undefined });
  }
  const failed = /An account failed to log on/.test(text);
  const succeeded = !failed && /An account was successfully logged on/.test(text);
  if (!failed && !succeeded) return null;
  const reason = /Failure Reason:\s{0,16}([^\t\r\n]{1,200}?\.)/.exec(text)?.[1];
  return outcome(failed ? "4625" : "4624", field(text, "Account Name", true), field(text, "Account Domain", true), field(text, "Source Network Address"), field(text, "Source Port"), {
    logon_type: field(text, "Logon Type") ?? undefined,
    workstation: field(text, "Workstation Name") ?? undefined,
    failure: reason,
  });
}
