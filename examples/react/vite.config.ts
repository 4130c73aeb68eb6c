import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The service's CORS_ORIGINS and CLERK_AUTHORIZED_PARTIES must name this origin: http://localhost:5173.
export default defineConfig({ plugins: [react()], server: { port: 5173, strictPort: true } });
