package ai.sovereign.backup.run;

import ai.sovereign.backup.artifact.ArtifactReader;
import ai.sovereign.backup.artifact.ArtifactWriter;
import ai.sovereign.backup.artifact.ComponentManifest;

/**
 * One thing that can be backed up: {@code postgres}, {@code neo4j}, {@code config}, {@code vectors}. Each writes its
 * files through the {@link ArtifactWriter}, restores from an {@link ArtifactReader} into the original store or a
 * scratch space, and can summarise live content with the same counts and order-independent hashes it records, so a
 * restore is compared with the backup, and a drill compares before with after.
 */
public interface BackupComponent {

    String name();

    ComponentManifest backup(ArtifactWriter writer) throws Exception;

    /** Restores the component's files into {@code scope} and returns the content found there afterwards. */
    RestoreOutcome restore(ArtifactReader reader, ComponentManifest manifest, RestoreScope scope) throws Exception;

    /** Counts and content hashes of what the live store holds now (the drill's "before" and "after"). */
    ContentSummary liveContent() throws Exception;
}
