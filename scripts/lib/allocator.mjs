// The C allocator's settings WaGo runs with (glibc reads them when a process starts): set by
// scripts/start.mjs (which starts itself again with them, same pid, on Node 22.15 and later) and
// by the container image's ENV. Measured idle on Node 24 (docs/benchmarks.md): about 30 MB less
// resident memory, no change in throughput.
// - MALLOC_ARENA_MAX=2: the threads (Prisma's WebAssembly compiler, libuv's pool, V8's helpers)
//   share two arenas instead of holding one each.
// - MALLOC_MMAP_THRESHOLD_=65536: blocks of 64 KB and more (V8's compilation zones during the
//   start) are mapped on their own and given back when freed, instead of staying in an arena.
export const ALLOCATOR_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '65536' };
