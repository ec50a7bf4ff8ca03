import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { FlightdeckConfig } from '../../config.js';
import { AuthenticationError, headerValue, type Identity, type IdentityResolver } from './identity.js';

function addressList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (prefix !== undefined) list.addSubnet(address!, Number(prefix), type);
    else list.addAddress(address!, type);
  }
  return list;
}

/** The peer address, with IPv4-mapped IPv6 (::ffff:10.0.0.1) read as the IPv4 it is. */
function peerAddress(from: FastifyRequest | string): { address: string; type: 'ipv4' | 'ipv6' } {
  const raw = typeof from === 'string' ? from : (from.socket.remoteAddress ?? '');
  const mapped = raw.startsWith('::ffff:') ? raw.slice(7) : raw;
  return { address: mapped, type: isIP(mapped) === 6 ? 'ipv6' : 'ipv4' };
}

/**
 * oauth2-proxy style headers (user, email, groups). Anyone can send such headers, so they count
 * only from the configured proxy addresses; from anywhere else they are refused, not ignored.
 */
export class ProxyIdentityResolver implements IdentityResolver {
  private readonly trusted: BlockList;
  /** Peer address → trusted: BlockList.check builds a SocketAddress per call, and peers are few. */
  private readonly verdicts = new Map<string, boolean>();
  /** The same headers → the same identity object (frozen): no new one per read. */
  private readonly known = new Map<string, Identity>();

  constructor(private readonly proxy: FlightdeckConfig['auth']['proxy']) {
    this.trusted = addressList(proxy.trustedAddresses);
  }

  resolve(request: FastifyRequest): Identity | null {
    const user = headerValue(request, this.proxy.userHeader);
    const email = headerValue(request, this.proxy.emailHeader);
    if (!user && !email) return null;
    if (!this.isTrusted(request.socket.remoteAddress ?? '')) {
      throw new AuthenticationError(
        `Identity headers came from ${peerAddress(request).address}, which is not a trusted proxy; sign in through the company's single sign-on.`,
      );
    }
    const groupsHeader = headerValue(request, this.proxy.groupsHeader) ?? '';
    // Header values hold no newline: the three as one key.
    const key = `${user ?? ''}\n${email ?? ''}\n${groupsHeader}`;
    let identity = this.known.get(key);
    if (identity === undefined) {
      const groups = groupsHeader
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean);
      const id = (user || email)!;
      // Frozen: one object serves every request of this person.
      identity = Object.freeze({
        user: id,
        name: id,
        email: email ?? null,
        groups: Object.freeze(groups) as string[],
        via: 'proxy',
      });
      // Bounded: the people signed in at once; anything beyond only costs building it again.
      if (this.known.size >= 1_000) this.known.clear();
      this.known.set(key, identity);
    }
    return identity;
  }

  private isTrusted(remoteAddress: string): boolean {
    let verdict = this.verdicts.get(remoteAddress);
    if (verdict === undefined) {
      const peer = peerAddress(remoteAddress);
      verdict = this.trusted.check(peer.address, peer.type);
      // Bounded: behind a proxy the peers are a handful; anything else only costs a re-check.
      if (this.verdicts.size >= 1_000) this.verdicts.clear();
      this.verdicts.set(remoteAddress, verdict);
    }
    return verdict;
  }
}

/**
 * Fastify's `trustProxy`: behind oauth2-proxy or an ALB, X-Forwarded-For is believed only from the
 * configured proxy addresses, so `request.ip` is the person's address and not the proxy's.
 */
export function trustedProxies(auth: FlightdeckConfig['auth']): string[] | false {
  return auth.mode === 'sandbox' ? false : auth.proxy.trustedAddresses;
}
