/*
 * clones.h — CET_CLONES, the attribute that builds a hot loop in versions
 * for several x86-64 instruction sets, one of which the processor's
 * features select when the program starts (for src/core and src/model).
 *
 * Every version performs the same operations on each element, and none
 * fuses multiplies and adds (-ffp-contract=off), so all give the same bits:
 * the versions exist for speed only.
 *
 *   GCC:   target_clones for x86-64-v4 (AVX-512), x86-64-v3 (AVX2) and the
 *          baseline (x86-64).
 *   Clang: target_clones for avx512f, avx2 and the baseline. Clang (14 at
 *          least) selects an "arch=" version by the processor's model
 *          instead of its features, which never picks x86-64-v3 and may
 *          pick x86-64-v4 on a processor without AVX-512, so the versions
 *          are named by feature. Clang before 16 also names the dispatcher
 *          NAME.ifunc, which other files cannot call: a cloned function is
 *          therefore always static, and the function other files call is a
 *          plain one that calls it.
 *   Any other compiler or processor: the baseline version only.
 */
#ifndef CETWIN_CLONES_H
#define CETWIN_CLONES_H

#if defined(__x86_64__) && defined(__clang__)
#define CET_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#elif defined(__x86_64__) && defined(__GNUC__) && !defined(__INTEL_COMPILER) &&                    \
    !defined(__NVCOMPILER)
#define CET_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CET_CLONES
#endif

#endif /* CETWIN_CLONES_H */
