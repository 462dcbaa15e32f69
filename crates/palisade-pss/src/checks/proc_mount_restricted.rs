//! `procMount_restricted` (restricted, from v1.35, overrides `procMount`): the strict procMount
//! rule with no user-namespace relaxation.

use super::{CheckDef, CheckId, Revision, proc_mount};
use crate::level::Level;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::ProcMountRestricted,
    level: Level::Restricted,
    revisions: &[Revision {
        since: 35,
        check: proc_mount::v1_0,
        overrides: &[CheckId::ProcMount],
    }],
};
