// Client address and forwarding headers. The client address comes from X-Forwarded-For only when the
// TCP peer is a configured trusted proxy, walking right to left past trusted hops (the approach of
// nginx's real_ip_recursive and Envoy's xff_num_trusted_hops): anything else is client-controlled
// and spoofable (CWE-348).
import { BlockList, isIP } from 'node:net';

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    this.empty = entries.length === 0;
    for (const entry of entries) {
      const [addr = '', bits] = entry.split('/');
      const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(addr, family);
      else this.list.addSubnet(addr, Number(bits), family);
    }
  }

  has(address: string): boolean {
    if (this.empty) return false;
    const bare =
      address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(bare);
    if (family === 0) return false;
    return this.list.check(bare, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** The client address: the right-most X-Forwarded-For entry that is not a trusted proxy. */
  clientAddress(peer: string, xff: string | string[] | undefined): string {
    if (!this.has(peer) || xff === undefined) return peer;
    const hops = (Array.isArray(xff) ? xff.join(',') : xff).split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = (hops[i] ?? '').trim();
      if (isIP(hop) === 0) return peer; // garbage in the chain: trust nothing from it
      if (!this.has(hop)) return hop;
    }
    return peer;
  }
}

/** RFC 7239 node: IPv6 addresses are quoted and bracketed. */
export function forwardedNode(address: string): string {
  return isIP(address) === 6 ? `"[${address}]"` : address;
}

/** RFC 7239 quoted-string when the value has characters outside token. */
export function forwardedValue(value: string): string {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value)
    ? value
    : `"${value.replace(/["\\]/g, '\\$&')}"`;
}
