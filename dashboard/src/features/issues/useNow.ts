import { onBeforeUnmount, onMounted, ref } from 'vue';

/** "Now", ticking every `everyMs` while the component is mounted: local countdowns, no server pushes per second. */
export function useNow(everyMs = 1000) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), everyMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
