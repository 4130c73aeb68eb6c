import { RequestWindow } from './request-window';

describe('RequestWindow', () => {
  afterEach(() => jest.useRealTimers());

  it('knows the per-key limits: 1,000 per 10 s for production keys, 100 for development ones', () => {
    expect(RequestWindow.forSecretKey('sk_live_abc').limit).toBe(1_000);
    expect(RequestWindow.forSecretKey('sk_test_abc').limit).toBe(100);
  });

  it('lets bulk work use half the window, and waits for the rest; interactive calls count but never wait', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const window = new RequestWindow(10);
    for (let i = 0; i < 5; i++) await window.acquireBulk();
    let sixth = false;
    const waiting = window.acquireBulk().then(() => (sixth = true));
    await jest.advanceTimersByTimeAsync(9_000);
    expect(sixth).toBe(false);
    await jest.advanceTimersByTimeAsync(1_300);
    await waiting;
    expect(sixth).toBe(true);
    window.record();
    window.record();
  });

  it('a call of several HTTP requests counts each of them', async () => {
    jest.useFakeTimers({ now: 4_000_000 });
    const window = new RequestWindow(10);
    await window.acquireBulk(2);
    await window.acquireBulk(2);
    expect(window.held).toBe(4);
    let third = false;
    const waiting = window.acquireBulk(2).then(() => (third = true));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(third).toBe(false);
    await jest.advanceTimersByTimeAsync(5_300);
    await waiting;
    expect(third).toBe(true);
    window.record(3);
    expect(window.held).toBe(5);
  });

  it('interactive calls take up the bulk share', async () => {
    jest.useFakeTimers({ now: 2_000_000 });
    const window = new RequestWindow(4);
    window.record();
    window.record();
    let bulk = false;
    const waiting = window.acquireBulk().then(() => (bulk = true));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(bulk).toBe(false);
    await jest.advanceTimersByTimeAsync(5_300);
    await waiting;
    expect(bulk).toBe(true);
  });

  it('forgets calls older than the window, so a long-running service keeps a bounded count', () => {
    jest.useFakeTimers({ now: 3_000_000 });
    const window = new RequestWindow(100);
    for (let i = 0; i < 50; i++) window.record();
    expect(window.held).toBe(50);
    jest.setSystemTime(3_000_000 + 10_251);
    window.record();
    expect(window.held).toBe(1);
  });
});
