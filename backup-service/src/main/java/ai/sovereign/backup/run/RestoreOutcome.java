package ai.sovereign.backup.run;

import java.util.Map;

/** What a component's restore left behind: the content found afterwards and details (scratch schema names, ...). */
public record RestoreOutcome(ContentSummary content, Map<String, Object> details) {}
