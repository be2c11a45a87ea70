// A Map with a hard size cap and least-recently-used eviction, for the per-account, per-address and
// per-identity detectors: their memory stays bounded however many keys an attacker invents (CWE-770).
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly maxKeys: number) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1)
      throw new RangeError('maxKeys must be a positive integer');
  }

  get size(): number {
    return this.map.size;
  }

  /** The value, marked as recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    if (this.map.size >= this.maxKeys) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}
