"""moto_server with one emulator gap closed for the multi-stack tests.

moto 5.2 does not compute a stack's outputs or exports when a change set is executed,
and a stack made by a CREATE change set cannot import exports (see docs/moto.md), so
stacks that import each other's exports cannot be created through change sets at all. CloudFormation computes both; this wrapper makes executing a
change set do the same, then runs moto's own server main with the given arguments.
"""

import sys

from moto.cloudformation import models

_apply = models.ChangeSet.apply


def apply_with_outputs(self):
    stack = self.stack
    backend = models.cloudformation_backends[stack.account_id][stack.region_name]
    # A stack made by a CREATE change set was given no exports to import from.
    stack.cross_stack_resources = backend.exports
    stack.resource_map.cross_stack_resources = backend.exports
    _apply(self)
    stack.template = self.template
    stack._parse_template()
    stack.output_map = stack._create_output_map()
    for export in stack.exports:
        backend.exports[export.name] = export


models.ChangeSet.apply = apply_with_outputs

from moto.server import main  # noqa: E402  (after the patch, as moto imports models)

if __name__ == "__main__":
    sys.exit(main())
