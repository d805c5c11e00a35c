// The session feature's public face: who is signed in, and the screens that change it.
export { useCan, useSession } from './session-store.js';
export { ChangePassword } from './change-password.js';
export { LockScreen } from './lock-screen.js';
export { SignInScreen } from './sign-in-screen.js';
