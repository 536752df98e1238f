import { Schema, model } from 'mongoose';

// The web app's sessions (api/session.ts): personal data, kept only while a session lives.
// _id is the SHA-256 of the random session id the browser's cookie holds, never the id itself, so
// a copy of the store opens no session. Read and written by _id only (fast on FerretDB); expired
// ones are deleted by the API's sweep (FerretDB has no TTL indexes) and refused on read anyway.
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    role: { type: String, enum: ['clinician', 'patient'], required: true },
    /** HSA-id (clinician) or personnummer (patient), from the verified access token. */
    sub: { type: String, required: true },
    careUnits: { type: [String], default: [] },
    /** A clinician's name from the token's `name` claim, if any. */
    name: { type: String, default: null },
    /** The provider's ID token, only as id_token_hint for its end-session endpoint at Logga ut. */
    idToken: { type: String, default: null },
    createdAt: { type: Date, required: true },
    /** The last use written (at most about once a minute): the idle limit counts from here. */
    lastUsedAt: { type: Date, required: true },
    /** createdAt + the absolute limit. */
    absoluteExpiresAt: { type: Date, required: true },
    /** The earlier of the idle and absolute limits as of lastUsedAt: the sweep deletes past it. */
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const SessionModel = model('Session', sessionSchema, 'sessions');

// A sign-in under way: what the callback needs (PKCE verifier, nonce, where to go), for 10 minutes.
// _id is the SHA-256 of the `state` sent to the provider; `binding` the SHA-256 of the random value
// in the browser's sign-in cookie, so a callback URL carried to another browser opens nothing.
const loginSchema = new Schema(
  {
    _id: { type: String, required: true },
    binding: { type: String, required: true },
    role: { type: String, enum: ['clinician', 'patient'], required: true },
    verifier: { type: String, required: true },
    nonce: { type: String, required: true },
    returnTo: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const LoginModel = model('Login', loginSchema, 'session_logins');
