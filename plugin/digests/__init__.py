"""Result digests (step 8 of the toolbox): what a community recorded, gathered for an audience and a
period (:mod:`content`), drawn (:mod:`charts`), rendered as Markdown, HTML and plain text
(:mod:`render`), archived and handed to the delivery channels (:mod:`dispatch`)."""
