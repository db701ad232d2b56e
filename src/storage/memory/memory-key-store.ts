/** In-memory KeyStore for tests and throwaway gateways: copies in and out, like a real store. */
import { patchedKey, rotatedKey, type KeyPatch, type KeyStore, type StoredKey } from '../key-store.js';

export class MemoryKeyStore implements KeyStore {
  private readonly byId = new Map<string, StoredKey>();
  /** Current and previous hashes -> id. */
  private readonly byHash = new Map<string, string>();
  private rev = 0;

  async create(key: StoredKey): Promise<void> {
    if (this.byId.has(key.id)) throw new Error(`a key with id ${key.id} already exists`);
    if (this.byHash.has(key.hash) || (key.previous && this.byHash.has(key.previous.hash))) throw new Error('a key with this hash already exists');
    this.put(structuredClone(key));
  }

  async get(id: string): Promise<StoredKey | undefined> {
    const k = this.byId.get(id);
    return k && structuredClone(k);
  }

  async findByHash(hash: string): Promise<StoredKey | undefined> {
    const id = this.byHash.get(hash);
    return id === undefined ? undefined : this.get(id);
  }

  async list(): Promise<StoredKey[]> {
    return [...this.byId.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((k) => structuredClone(k));
  }

  async update(id: string, patch: KeyPatch, now: number): Promise<StoredKey | undefined> {
    const k = this.byId.get(id);
    if (!k) return undefined;
    return this.replace(k, patchedKey(k, patch, now));
  }

  async revoke(id: string, now: number): Promise<StoredKey | undefined> {
    const k = this.byId.get(id);
    if (!k) return undefined;
    if (k.revokedAt !== undefined) return structuredClone(k);
    return this.replace(k, { ...structuredClone(k), revokedAt: now, updatedAt: now });
  }

  async rotate(id: string, next: { hash: string; prefix: string }, graceUntil: number, now: number): Promise<StoredKey | undefined> {
    const k = this.byId.get(id);
    if (!k) return undefined;
    if (this.byHash.has(next.hash)) throw new Error('a key with this hash already exists');
    return this.replace(k, rotatedKey(k, next, graceUntil, now));
  }

  async revision(): Promise<number> {
    return this.rev;
  }

  async close(): Promise<void> {}

  private replace(old: StoredKey, next: StoredKey): StoredKey {
    this.byHash.delete(old.hash);
    if (old.previous) this.byHash.delete(old.previous.hash);
    this.put(next);
    return structuredClone(next);
  }

  private put(k: StoredKey): void {
    this.byId.set(k.id, k);
    this.byHash.set(k.hash, k.id);
    if (k.previous) this.byHash.set(k.previous.hash, k.id);
    this.rev++;
  }
}
