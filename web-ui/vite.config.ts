import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    // xterm.js with its WebGL renderer is most of the ~0.7 MB bundle; one file, served same-host.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npm run dev` talks to a locally running api-service, as the served jar does same-origin.
    proxy: { '/api': 'http://localhost:8080' },
  },
});
