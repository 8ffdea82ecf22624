/* SPDX-License-Identifier: MIT */
/*
 * kdsim stage codes written by the purgatory, and the stage-port registers it uses (a copy of
 * the stage-port table in docs/devices.md; the kernels' copy is kernels/include/kdsim/). The
 * purgatory is a separate, self-contained object, so it keeps its own copy.
 *
 * The port base is the 8-byte symbol `kdsim_stage_port`, set by the host loader (0 = no port:
 * nothing is written). A foreign purgatory (kexec-tools' own) has no such symbol, and the host
 * simply sees no purgatory stages.
 *
 *   code  stage                     ARG0                            ARG1
 *   0x14  purgatory_entry           next kernel entry (PA)          boot argument (arm64 DTB PA /
 *                                   (arm64_kernel_entry /           x86 entry64_regs.rsi)
 *                                   x86 entry64_regs.rip)
 *   0x15  purgatory_digest_ok       bytes hashed                    non-empty regions hashed
 *         (not written when skip_checks is set)
 *   0x16  purgatory_digest_mismatch 0                               0
 *         (then the mismatch text, then a spin forever)
 */
#ifndef KDSIM_PURGATORY_STAGE_CODES_H
#define KDSIM_PURGATORY_STAGE_CODES_H

#define PURGATORY_STAGE_ENTRY 0x14
#define PURGATORY_STAGE_DIGEST_OK 0x15
#define PURGATORY_STAGE_DIGEST_MISMATCH 0x16

/* Stage-port registers (32-bit accesses, offsets from the port base). */
#define PURGATORY_STAGE_ARG0_LO 0x10
#define PURGATORY_STAGE_ARG0_HI 0x14
#define PURGATORY_STAGE_ARG1_LO 0x18
#define PURGATORY_STAGE_ARG1_HI 0x1c
#define PURGATORY_STAGE_REG 0x20

#endif
