package ai.sovereign.ingestion.chat;

import ai.sovereign.ingestion.search.SearchHit;
import java.util.List;

/** The grounded prompt: numbered sources, then the question, with the rule to answer only from them and cite [n]. */
public final class PromptBuilder {

    static final String SYSTEM = "You answer questions using only the numbered sources you are given. Cite every claim "
            + "with the number of its source in square brackets, e.g. [1] or [2][3]. If the sources do not contain the "
            + "answer, say that you do not know. Do not invent facts or sources.";

    private PromptBuilder() {}

    public static String user(String question, List<SearchHit> hits) {
        StringBuilder prompt = new StringBuilder("Sources:\n");
        for (int i = 0; i < hits.size(); i++) {
            SearchHit hit = hits.get(i);
            prompt.append('[')
                    .append(i + 1)
                    .append("] (")
                    .append(hit.sourceName())
                    .append(", chunk ")
                    .append(hit.position())
                    .append(")\n")
                    .append(hit.text().strip())
                    .append("\n\n");
        }
        return prompt.append("Question: ").append(question.strip()).toString();
    }
}
