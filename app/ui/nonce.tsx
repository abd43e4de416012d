import { createContext, useContext } from "react";

/** The per-request CSP nonce for Remix's inline scripts (the server sets the header). */
const NonceContext = createContext<string | undefined>(undefined);
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
