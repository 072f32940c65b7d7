"""The reviews app's forms, a module per concept: preliminary (and site visits), experts, decisions,
panels, notices; fields holds what they share."""
