/**
 * Fixed self-signed TLS certificate (CN "WaGo WhatsApp emulator", SAN 127.0.0.1 / ::1 / localhost, valid
 * 20 years) for the emulator's HTTPS side: Baileys uploads media to https://<media host>/... only.
 * This key protects nothing: it exists so a local test client can trust the emulator (see
 * client-trust.ts `emulatorHttpsAgent`). Never use it anywhere else.
 */
export const EMULATOR_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBxjCCAWygAwIBAgIUF7pKEAFsPkWjZuvYIq2pjhnRdiUwCgYIKoZIzj0EAwIw
ITEfMB0GA1UEAwwWV2FHbyBXaGF0c0FwcCBlbXVsYXRvcjAeFw0yNjExMjQxMjEx
NTJaFw00NjExMTkxMjExNTJaMCExHzAdBgNVBAMMFldhR28gV2hhdHNBcHAgZW11
bGF0b3IwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASTTIlKETrbJpd8LfxtsX6M
7lgbt33vlorM3jUKkupJU4xKFdBMaPRGtzOEjWJWiJXAWnFMVkn1QOiyz4yGru1D
o4GBMH8wHQYDVR0OBBYEFBPXZIRA/Hopg8ECescouRY2ngzMMB8GA1UdIwQYMBaA
FBPXZIRA/Hopg8ECescouRY2ngzMMA8GA1UdEwEB/wQFMAMBAf8wLAYDVR0RBCUw
I4cEfwAAAYcQAAAAAAAAAAAAAAAAAAAAAYIJbG9jYWxob3N0MAoGCCqGSM49BAMC
A0gAMEUCICGaxqehZUgqZQLvzKGCNS89R+SdRQe+j815p5F5/oz/AiEAlws+dqJf
89ywhatNOYG1wflntOwj6acVfi8tPh/cVyA=
-----END CERTIFICATE-----
`

export const EMULATOR_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgL5TFudiFz3NJ47yW
3XozwLp0VjmEdYJSNW2XA+BDz8qhRANCAASTTIlKETrbJpd8LfxtsX6M7lgbt33v
lorM3jUKkupJU4xKFdBMaPRGtzOEjWJWiJXAWnFMVkn1QOiyz4yGru1D
-----END PRIVATE KEY-----
`
