import { ClerkProvider } from '@clerk/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, DevTokenApp } from './App';

// With a publishable key, Clerk signs the user in; without one, the page takes a token of
// `npm run dev:token` and calls a local service (see README.md).
const publishableKey = import.meta.env.VITE_CLERK_PUBLISHABLE_KEY as string | undefined;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {publishableKey ? (
      <ClerkProvider publishableKey={publishableKey}>
        <App />
      </ClerkProvider>
    ) : (
      <DevTokenApp />
    )}
  </StrictMode>,
);
