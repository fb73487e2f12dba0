import { describe, expect, it } from 'vitest';
import { FakeClock, systemClock } from '../../src/core/clock.js';
import { RateLimiter } from '../../src/net/rate-limiter.js';
import { Semaphore } from '../../src/net/semaphore.js';

describe('FakeClock and systemClock', () => {
  it('FakeClock advances by each sleep and records it', async () => {
    const clock = new FakeClock(1000);
    await clock.sleep(250);
    await clock.sleep(0);
    expect(clock.now().getTime()).toBe(1250);
    expect(clock.sleeps).toEqual([250, 0]);
    expect(clock.totalSlept).toBe(250);
  });

  it('systemClock.sleep waits for real and stops at once when the signal aborts', async () => {
    const t0 = Date.now();
    await systemClock.sleep(30);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);

    const ac = new AbortController();
    const t1 = Date.now();
    setTimeout(() => ac.abort(), 20);
    await expect(systemClock.sleep(10_000, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - t1).toBeLessThan(1000);

    const reason = new Error('stop');
    await expect(systemClock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});

describe('RateLimiter', () => {
  it('perMinute=60 burst 3: the first 3 go at once, then one a second', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ perMinute: 60, burst: 3, clock });
    const at: number[] = [];
    for (let i = 0; i < 10; i++) {
      await limiter.acquire();
      at.push(clock.now().getTime());
    }
    expect(at.slice(0, 3)).toEqual([0, 0, 0]);
    expect(clock.totalSlept).toBeCloseTo(7000, 6);
    for (let i = 3; i < 10; i++) expect(at[i]).toBeCloseTo((i - 2) * 1000, 6);
  });

  it('refills the bucket while idle, never beyond the burst', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ perMinute: 60, burst: 3, clock });
    for (let i = 0; i < 3; i++) await limiter.acquire();
    clock.advance(60_000); // a long idle spell: still only 3 tokens
    for (let i = 0; i < 3; i++) await limiter.acquire();
    expect(clock.sleeps).toEqual([]);
    await limiter.acquire();
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeCloseTo(1000, 6);
  });

  it('perMinute 0 never waits', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ perMinute: 0, clock });
    for (let i = 0; i < 1000; i++) await limiter.acquire();
    expect(clock.sleeps).toEqual([]);
    expect(limiter.unlimited).toBe(true);
  });

  it('defaults to a small burst', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ perMinute: 20, clock });
    for (let i = 0; i < 4; i++) await limiter.acquire();
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeCloseTo(3000, 6);
  });

  it('adds jitter to waits and charges it, so the long-run rate still holds', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ perMinute: 60, burst: 1, jitterMs: 200, clock, random: () => 0.5 });
    for (let i = 0; i < 11; i++) await limiter.acquire();
    // 10 waits of 1000 ms + 100 ms of jitter each
    expect(clock.sleeps).toHaveLength(10);
    for (const s of clock.sleeps) expect(s).toBeCloseTo(1100, 6);
  });

  it('serves concurrent callers in order, each a full interval apart (real clock)', async () => {
    const limiter = new RateLimiter({ perMinute: 1200, burst: 1 }); // 50 ms apart
    const t0 = Date.now();
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => limiter.acquire().then(() => done.push(i) && Date.now() - t0)),
    );
    expect(done).toEqual([0, 1, 2, 3, 4]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('an aborted wait rejects at once and returns its reservation', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ perMinute: 60, burst: 1, clock });
    await limiter.acquire();
    const ac = new AbortController();
    ac.abort();
    await expect(limiter.acquire(ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    await limiter.acquire();
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeCloseTo(1000, 6); // not 2000: the aborted caller's token came back

    const real = new RateLimiter({ perMinute: 1, burst: 1 });
    await real.acquire();
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 20);
    const t0 = Date.now();
    await expect(real.acquire(ac2.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('rejects nonsense settings', () => {
    expect(() => new RateLimiter({ perMinute: -1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ perMinute: Number.NaN })).toThrow(RangeError);
    expect(() => new RateLimiter({ perMinute: 10, burst: 0 })).toThrow(RangeError);
  });
});

describe('Semaphore', () => {
  it('never lets more than the limit in, and hands slots over in FIFO order', async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const release = await sem.acquire();
        order.push(i);
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        release();
        release(); // a second call is harmless
      }),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sem.active).toBe(0);
  });

  it('an aborted waiter leaves the queue without taking a slot', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const ac = new AbortController();
    const waiting = sem.acquire(ac.signal);
    expect(sem.waiting).toBe(1);
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(sem.waiting).toBe(0);
    release();
    expect(sem.active).toBe(0);
    const again = await sem.acquire();
    expect(sem.active).toBe(1);
    again();
  });

  it('rejects a limit below 1', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
