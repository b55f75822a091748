import { onBeforeUnmount, onMounted, ref } from 'vue';
import { LIVE_SERVER_EVENTS, type IssueFrame } from '@gridline/shared';
import { connectLive, type LiveSocket } from '@/live/connect';
import { useSessionStore } from '@/stores/session';

/** Frames that arrive together (a bulk dispatch) cause one refetch, not twenty. */
const COALESCE_MS = 250;

/**
 * The workbenches' live updates: the `/live` socket puts us in the rooms of our scope on
 * connect (user, department, region), and every committed change there arrives as an issue
 * frame (in `issues` messages). Screens refetch what a frame touches; a reconnect may have missed frames, so it asks
 * for a full refetch (`frames` empty). Scope stays the server's: frames only say "look again".
 */
export function useLiveIssues(onChange: (frames: IssueFrame[]) => void) {
  const session = useSessionStore();
  const connected = ref(false);
  let socket: LiveSocket | null = null;
  let buffer: IssueFrame[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let everConnected = false;

  function flush(): void {
    timer = undefined;
    const frames = buffer;
    buffer = [];
    onChange(frames);
  }

  onMounted(() => {
    socket = connectLive((cb) => cb({ token: session.token ?? '' }));
    socket.on('connect', () => {
      connected.value = true;
      if (everConnected) onChange([]); // back after a gap: whatever happened meanwhile, look again
      everConnected = true;
    });
    socket.on('disconnect', () => (connected.value = false));
    socket.on('connect_error', () => (connected.value = false));
    socket.on(LIVE_SERVER_EVENTS.issues, (frames) => {
      buffer.push(...frames);
      timer ??= setTimeout(flush, COALESCE_MS);
    });
    socket.connect();
  });

  onBeforeUnmount(() => {
    clearTimeout(timer);
    socket?.disconnect();
    socket = null;
  });

  return { connected };
}
