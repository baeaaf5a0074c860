import type { EventInput } from "../../lib/contracts/events";
import { between, pick, type Random } from "./random";

const EXTERNAL = ["198.51.100.", "203.0.113.", "192.0.2."];
const USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar", "peggy", "trent", "victor", "walter"];
const SSH_TARGETS = ["root", "admin", "ubuntu", "deploy", "oracle", "test", "git"];
const MERCHANTS = ["Coffee Corner", "Metro Transit", "BookNook", "FreshMart", "CloudHost Ltd", "Pixel Games", "Taxi Now", "Pharma+"];
const CURRENCIES = ["EUR", "USD", "GBP"];

/** Suricata ET-style signatures with the severity their priority maps to. */
const SIGNATURES: readonly [string, EventInput["severity"], string][] = [
  ["ET SCAN Possible Nmap User-Agent Observed", "low", "Web Application Attack"],
  ["ET SCAN Suspicious inbound to mySQL port 3306", "medium", "Potentially Bad Traffic"],
  ["ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT", "high", "Web Application Attack"],
  ["ET EXPLOIT Apache log4j RCE Attempt (jndi:ldap)", "critical", "Attempted Administrator Privilege Gain"],
  ["ET POLICY Outbound TLS connection to suspicious TLD", "medium", "Potential Corporate Privacy Violation"],
  ["ET DOS Possible SYN flood against payment API", "high", "Attempted Denial of Service"],
  ["ET INFO Observed DNS Query to .onion proxy Domain", "low", "Misc activity"],
  ["GPL ATTACK_RESPONSE id check returned root", "critical", "Potentially Bad Traffic"],
  ["ET HUNTING Suspicious POST to /wallet/transfer with encoded body", "medium", "Web Application Attack"],
];

export function externalIp(random: Random): string {
  return pick(random, EXTERNAL) + Math.floor(between(random, 2, 254));
}

function internalIp(random: Random): string {
  return `10.20.${Math.floor(between(random, 0, 8))}.${Math.floor(between(random, 2, 254))}`;
}

export function idsAlert(random: Random, time: number): EventInput {
  const [signature, severity, category] = pick(random, SIGNATURES);
  const proto = random() < 0.85 ? "TCP" : "UDP";
  return {
    kind: "ids_alert",
    severity,
    time,
    src_ip: externalIp(random),
    dst_ip: internalIp(random),
    signature,
    message: `[${category}] ${proto} to port ${pick(random, [443, 80, 22, 3306, 8443])}`,
    attributes: { sensor: "suricata-edge-1", proto, sid: 2000000 + Math.floor(random() * 40000) },
  };
}

export function sshFailure(random: Random, time: number, src = externalIp(random), user = pick(random, SSH_TARGETS)): EventInput {
  const port = Math.floor(between(random, 30000, 65000));
  return {
    kind: "auth_failure",
    severity: "low",
    time,
    src_ip: src,
    user,
    message: `sshd: Failed password for invalid user ${user} from ${src} port ${port} ssh2`,
    attributes: { service: "sshd", host: "bastion-1" },
  };
}

export function appLoginFailure(random: Random, time: number, src = externalIp(random), user = pick(random, USERS)): EventInput {
  return {
    kind: "auth_failure",
    severity: "low",
    time,
    src_ip: src,
    user,
    message: `wallet app: login failed for ${user} (bad password)`,
    attributes: { service: "wallet-web" },
  };
}

export function loginSuccess(random: Random, time: number): EventInput {
  const user = pick(random, USERS);
  return { kind: "auth_success", severity: "info", time, src_ip: externalIp(random), user, message: `wallet app: ${user} signed in`, attributes: { service: "wallet-web", mfa: true } };
}

export function transaction(random: Random, time: number, src = externalIp(random), amount?: number): EventInput {
  const value = amount ?? Math.round(Math.exp(between(random, 1, 6)) * 100) / 100;
  const currency = pick(random, CURRENCIES);
  const merchant = pick(random, MERCHANTS);
  const declined = amount !== undefined ? random() < 0.7 : random() < 0.03;
  return {
    kind: "transaction",
    severity: declined ? "low" : "info",
    time,
    src_ip: src,
    message: `${declined ? "declined" : "approved"} ${value.toFixed(2)} ${currency} at ${merchant}`,
    attributes: { amount: value, currency, merchant, status: declined ? "declined" : "approved", card_bin: `4${Math.floor(between(random, 10000, 99999))}` },
  };
}

export const PEOPLE = USERS;
