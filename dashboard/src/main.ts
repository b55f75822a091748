import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { useSessionStore } from './stores/session';
import './styles/base.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(router);

// Role, scope and AB 岗 cover can change between visits: refresh the stored user in the
// background. A 401 ends the session (http client); being offline keeps the cached user.
const session = useSessionStore(pinia);
if (session.isAuthenticated) {
  session.refreshMe().catch(() => undefined);
}

void router.isReady().then(() => app.mount('#app'));

// The app shell for offline use (src/sw/sw.ts): production builds only, so `vite dev` never
// serves a cached page. Registered after load so it does not compete with the first paint.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => undefined);
  });
}
