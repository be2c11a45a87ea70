// SSRF defence (OWASP API7, CWE-918): classify IP addresses and check outbound URLs after DNS
// resolution. Used by the lab's secure import, the gateway's SSRF guard, the scanner and the auditor.
//
// Every form that reaches an internal host is refused: loopback, RFC 1918 and CGNAT (RFC 6598),
// link-local (RFC 3927, RFC 4291), unique-local (RFC 4193), cloud metadata, IPv4 embedded in IPv6
// (IPv4-mapped, IPv4-compatible, NAT64 RFC 6052, 6to4 RFC 3056), multicast and reserved ranges.
// Alternative IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1) are normalised by the WHATWG URL parser
// before they get here; raw strings go through parseIPv4Loose for the same reason.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { BulwarkError } from '../errors.js';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'metadata';

/** Well-known cloud metadata endpoints (AWS, GCP, Azure, ECS, Alibaba, Oracle, AWS IPv6). */
const METADATA = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '100.100.100.200',
  '192.0.0.192',
  'fd00:ec2::254',
]);

type Range4 = readonly [base: number, bits: number, cls: AddressClass];
const V4_RANGES: readonly Range4[] = [
  [ip4(0, 0, 0, 0), 8, 'unspecified'], // "this network" RFC 1122
  [ip4(10, 0, 0, 0), 8, 'private'], // RFC 1918
  [ip4(100, 64, 0, 0), 10, 'private'], // shared address space (CGNAT) RFC 6598
  [ip4(127, 0, 0, 0), 8, 'loopback'],
  [ip4(169, 254, 0, 0), 16, 'link-local'], // RFC 3927
  [ip4(172, 16, 0, 0), 12, 'private'], // RFC 1918
  [ip4(192, 0, 0, 0), 24, 'reserved'], // IETF protocol assignments RFC 6890
  [ip4(192, 0, 2, 0), 24, 'reserved'], // TEST-NET-1
  [ip4(192, 88, 99, 0), 24, 'reserved'], // 6to4 relay anycast (deprecated)
  [ip4(192, 168, 0, 0), 16, 'private'], // RFC 1918
  [ip4(198, 18, 0, 0), 15, 'reserved'], // benchmarking RFC 2544
  [ip4(198, 51, 100, 0), 24, 'reserved'], // TEST-NET-2
  [ip4(203, 0, 113, 0), 24, 'reserved'], // TEST-NET-3
  [ip4(224, 0, 0, 0), 4, 'multicast'],
  [ip4(240, 0, 0, 0), 4, 'reserved'], // incl. 255.255.255.255 broadcast
];

function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function inRange(value: number, base: number, bits: number): boolean {
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : (~0 << (32 - bits)) >>> 0;
  return (value & mask) >>> 0 === (base & mask) >>> 0;
}

/**
 * Parses IPv4 in every form inet_aton accepts (1 to 4 parts; decimal, octal with a leading 0, hex
 * with 0x), which is how `127.1` or `0x7f000001` reach loopback. Returns undefined if not IPv4.
 */
export function parseIPv4Loose(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number(part);
    else return undefined;
    if (!Number.isSafeInteger(value)) return undefined;
    values.push(value);
  }
  const last = values.pop() as number;
  if (values.some((v) => v > 255)) return undefined;
  const lastMax = 2 ** (8 * (4 - values.length)) - 1;
  if (last > lastMax) return undefined;
  let result = 0;
  values.forEach((v, i) => (result += v * 2 ** (8 * (3 - i))));
  return result + last;
}

function classify4(value: number): AddressClass {
  const dotted = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
  if (METADATA.has(dotted)) return 'metadata';
  for (const [base, bits, cls] of V4_RANGES) if (inRange(value, base, bits)) return cls;
  return 'public';
}

/** Parses an IPv6 literal (with optional zone id and embedded IPv4) into 8 16-bit groups. */
function parseIPv6(text: string): number[] | undefined {
  let input = text.replace(/^\[|\]$/g, '');
  const zone = input.indexOf('%');
  if (zone >= 0) input = input.slice(0, zone);
  if (isIP(input) !== 6) return undefined;
  let tail: number[] = [];
  const lastColon = input.lastIndexOf(':');
  const lastPart = input.slice(lastColon + 1);
  if (lastPart.includes('.')) {
    const v4 = parseIPv4Loose(lastPart);
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    input = `${input.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = input.split('::');
  const toGroups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = toGroups(head);
  const right = rest === undefined ? [] : toGroups(rest);
  const fill = 8 - left.length - right.length;
  const groups =
    rest === undefined ? left : [...left, ...new Array<number>(fill).fill(0), ...right];
  if (groups.length !== 8) return undefined;
  if (tail.length === 2) groups.splice(6, 2, ...tail);
  return groups;
}

function embedded4(groups: readonly number[], from: number): number {
  return (((groups[from] as number) << 16) | (groups[from + 1] as number)) >>> 0;
}

function classify6(g: readonly number[]): AddressClass {
  const canonical = g.map((x) => x.toString(16)).join(':');
  if (canonical === 'fd00:ec2:0:0:0:0:0:254') return 'metadata';
  const zeroUntil = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUntil(8)) return 'unspecified';
  if (zeroUntil(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d carry an IPv4 address.
  if (zeroUntil(5) && g[5] === 0xffff) return classify4(embedded4(g, 6));
  if (zeroUntil(6)) return classify4(embedded4(g, 6));
  // NAT64 64:ff9b::/96 (RFC 6052) and 64:ff9b:1::/48 (RFC 8215) translate to IPv4.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return classify4(embedded4(g, 6));
  }
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'reserved';
  if (g[0] === 0x2002) return classify4(embedded4(g, 1)); // 6to4 RFC 3056
  const first = g[0] as number;
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((first & 0xfe00) === 0xfc00) return 'unique-local'; // RFC 4193
  if ((first & 0xff00) === 0xff00) return 'multicast';
  if (first === 0x2001 && g[1] === 0xdb8) return 'reserved'; // documentation
  if (first === 0x2001 && g[1] === 0) return 'reserved'; // Teredo embeds an obfuscated IPv4
  // Outside global unicast 2000::/3: includes discard-only 100::/64 and every unassigned block.
  if ((first & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/** Classifies an IP literal (IPv4 in any inet_aton form, or IPv6 with or without brackets). */
export function classifyAddress(ip: string): AddressClass {
  const v4 = parseIPv4Loose(ip);
  if (v4 !== undefined) return classify4(v4);
  const v6 = parseIPv6(ip);
  if (v6 !== undefined) return classify6(v6);
  throw new BulwarkError('BULWARK_ERR_URL_REFUSED', 'not an IP address');
}

export function isPublicAddress(ip: string): boolean {
  try {
    return classifyAddress(ip) === 'public';
  } catch {
    return false;
  }
}

/** True when the string is an IP literal (any IPv4 spelling, or IPv6 with optional brackets). */
export function isIpLiteral(host: string): boolean {
  return parseIPv4Loose(host) !== undefined || parseIPv6(host) !== undefined;
}

export type LookupFn = (
  hostname: string,
) => Promise<readonly { address: string; family: number }[]>;

const systemLookup: LookupFn = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface ResolveOptions {
  readonly lookup?: LookupFn;
  /** Address classes allowed besides public (e.g. ['loopback'] for tests of one's own services). */
  readonly allowClasses?: readonly AddressClass[];
}

/**
 * Resolves a host and returns its addresses, refusing if ANY address is not allowed: a name that
 * resolves to both a public and an internal address is refused (CWE-918). Connect to the returned
 * addresses (see pinnedLookup) so a second DNS answer cannot rebind the host.
 */
export async function resolvePublicAddresses(
  host: string,
  options: ResolveOptions = {},
): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIpLiteral(bare)) addresses = [bare];
  else {
    try {
      addresses = (await (options.lookup ?? systemLookup)(bare)).map((a) => a.address);
    } catch (cause) {
      throw new BulwarkError('BULWARK_ERR_URL_REFUSED', 'the host could not be resolved', {
        cause,
      });
    }
  }
  if (addresses.length === 0) {
    throw new BulwarkError('BULWARK_ERR_URL_REFUSED', 'the host could not be resolved');
  }
  const allowed = new Set<AddressClass>(['public', ...(options.allowClasses ?? [])]);
  for (const address of addresses) {
    const cls = classifyAddress(address);
    if (!allowed.has(cls)) {
      throw new BulwarkError('BULWARK_ERR_URL_REFUSED', `the URL points at a ${cls} address`);
    }
  }
  return addresses;
}

export interface SafeUrlOptions extends ResolveOptions {
  /** Allow plain http (https only by default). */
  readonly allowHttp?: boolean;
  /** Host allowlist: exact names or `*.example.com` wildcards. Empty or absent: any host. */
  readonly allowedHosts?: readonly string[];
  /** Schemes allowed, without the colon. Default: https, plus http when allowHttp. */
  readonly allowedSchemes?: readonly string[];
}

export interface SafeUrl {
  readonly url: URL;
  /** The checked addresses; connect only to these. */
  readonly addresses: readonly string[];
}

export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    return pattern.startsWith('*.') ? h.endsWith(pattern.slice(1)) : h === pattern;
  });
}

/**
 * Parses and checks a client-supplied URL before any fetch: scheme allowlist, no credentials in the
 * URL, optional host allowlist, and every resolved address public. Throws BULWARK_ERR_URL_REFUSED.
 */
export async function assertSafeUrl(input: string, options: SafeUrlOptions = {}): Promise<SafeUrl> {
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    throw new BulwarkError('BULWARK_ERR_URL_REFUSED', 'the URL is not valid', { cause });
  }
  const schemes = options.allowedSchemes ?? (options.allowHttp ? ['https', 'http'] : ['https']);
  const scheme = url.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new BulwarkError('BULWARK_ERR_URL_REFUSED', `the URL scheme '${scheme}' is not allowed`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new BulwarkError('BULWARK_ERR_URL_REFUSED', 'credentials in the URL are not allowed');
  }
  const host = url.hostname;
  if (host === '') throw new BulwarkError('BULWARK_ERR_URL_REFUSED', 'the URL has no host');
  if (options.allowedHosts && options.allowedHosts.length > 0) {
    if (!hostMatches(host.replace(/^\[|\]$/g, ''), options.allowedHosts)) {
      throw new BulwarkError('BULWARK_ERR_URL_REFUSED', 'the URL host is not allowed');
    }
  }
  const addresses = await resolvePublicAddresses(host, options);
  return { url, addresses };
}

/**
 * A `lookup` for net/http/undici connect options that answers only with the checked addresses,
 * so the connection goes where the check looked (no DNS rebinding between check and connect).
 */
export function pinnedLookup(addresses: readonly string[]) {
  return (
    _hostname: string,
    options: { all?: boolean } | number | undefined,
    callback: (...args: unknown[]) => void,
  ): void => {
    const entries = addresses.map((address) => ({ address, family: isIP(address) }));
    const all = typeof options === 'object' && options !== null && options.all === true;
    const first = entries[0];
    if (all) callback(null, entries);
    else if (first) callback(null, first.address, first.family);
    else callback(new Error('no address'));
  };
}
