//! `restrictedVolumes` (restricted, overrides `hostPathVolumes`): volumes may only use
//! configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected
//! or secret. A volume with no source is reported as type `unknown`.

use super::text::{join_quote, pluralize, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::{Pod, VolumeSource as S, VolumeSources};

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::RestrictedVolumes,
    level: Level::Restricted,
    revisions: &[Revision {
        since: 0,
        check: v1_0,
        overrides: &[CheckId::HostPathVolumes],
    }],
};

const ALLOWED: [S; 9] = [
    S::ConfigMap,
    S::Csi,
    S::DownwardApi,
    S::EmptyDir,
    S::Ephemeral,
    S::Image,
    S::PersistentVolumeClaim,
    S::Projected,
    S::Secret,
];

/// The restricted types in the order upstream tests them; the first one set names the type.
const RESTRICTED: [(S, &str); 21] = [
    (S::HostPath, "hostPath"),
    (S::GcePersistentDisk, "gcePersistentDisk"),
    (S::AwsElasticBlockStore, "awsElasticBlockStore"),
    (S::GitRepo, "gitRepo"),
    (S::Nfs, "nfs"),
    (S::Iscsi, "iscsi"),
    (S::Glusterfs, "glusterfs"),
    (S::Rbd, "rbd"),
    (S::FlexVolume, "flexVolume"),
    (S::Cinder, "cinder"),
    (S::Cephfs, "cephfs"),
    (S::Flocker, "flocker"),
    (S::Fc, "fc"),
    (S::AzureFile, "azureFile"),
    (S::VsphereVolume, "vsphereVolume"),
    (S::Quobyte, "quobyte"),
    (S::AzureDisk, "azureDisk"),
    (S::PhotonPersistentDisk, "photonPersistentDisk"),
    (S::PortworxVolume, "portworxVolume"),
    (S::ScaleIo, "scaleIO"),
    (S::Storageos, "storageos"),
];

fn type_name(sources: VolumeSources) -> &'static str {
    RESTRICTED
        .iter()
        .find(|(s, _)| sources.has(*s))
        .map_or("unknown", |(_, name)| name)
}

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut bad: Vec<&str> = Vec::new();
    let mut types: Vec<&str> = Vec::new();
    for v in &pod.spec.volumes {
        if ALLOWED.iter().any(|s| v.sources.has(*s)) {
            continue;
        }
        bad.push(v.name.as_str());
        types.push(type_name(v.sources));
    }
    if bad.is_empty() {
        return None;
    }
    let types = sorted_set(types);
    Forbidden::new(
        "restricted volume types",
        format!(
            "{} {} {} {} {}",
            pluralize("volume", "volumes", bad.len()),
            join_quote(&bad),
            pluralize("uses", "use", bad.len()),
            pluralize(
                "restricted volume type",
                "restricted volume types",
                types.len()
            ),
            join_quote(&types)
        ),
    )
}
