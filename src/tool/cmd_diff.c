/* cmd_diff.c: placeholder until diff lands. */
#include "tool.h"

int cmd_diff(int argc, char **argv)
{
	(void)argc; (void)argv;
	return usage_error("diff", "not implemented yet");
}
