/* SPDX-License-Identifier: MIT */
/* The kdsim agent driver (common/drivers/kdsim/agent.c): /dev/agent and /dev/agent-status. */
#ifndef KDSIM_AGENT_H
#define KDSIM_AGENT_H

/* Probe the agent device; registers /dev/agent and /dev/agent-status only when present. */
void kdsim_agent_init(void);

#endif /* KDSIM_AGENT_H */
