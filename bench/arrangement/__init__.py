"""The arrangement bench (issue 13): style traits, texture, unrequested tracks and controls,
measured on the notes of composed scores."""
