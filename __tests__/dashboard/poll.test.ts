import { pollUntil } from '../../dashboard/src/poll';

/** A clock that only moves when the poller sleeps: no real waiting. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

test('polls until finished, waiting longer each time up to the cap', async () => {
  const clock = fakeClock();
  const answers = ['pending', 'pending', 'pending', 'pending', 'written'];
  const result = await pollUntil(async () => answers.shift()!, (status) => status !== 'pending', {
    firstDelayMs: 1000,
    maxDelayMs: 2000,
    deadlineMs: 60_000,
    ...clock,
  });
  expect(result).toEqual({ done: true, value: 'written' });
  expect(clock.sleeps).toEqual([1000, 1500, 2000, 2000]);
});

test('gives up at the deadline with the last answer', async () => {
  const clock = fakeClock();
  let checks = 0;
  const result = await pollUntil(
    async () => {
      checks++;
      return 'pending';
    },
    () => false,
    { firstDelayMs: 1000, maxDelayMs: 1000, deadlineMs: 5000, ...clock },
  );
  expect(result).toEqual({ done: false, last: 'pending' });
  expect(checks).toBe(6);
  expect(clock.now()).toBe(5000);
});

test('a failed check ends the wait with its error', async () => {
  const clock = fakeClock();
  await expect(
    pollUntil(() => Promise.reject(new Error('The server had a problem (502).')), () => true, {
      firstDelayMs: 1,
      maxDelayMs: 1,
      deadlineMs: 10,
      ...clock,
    }),
  ).rejects.toThrow('The server had a problem (502).');
});
