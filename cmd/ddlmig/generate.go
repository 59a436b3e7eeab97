package main

import "errors"

// Placeholders, replaced by the offline core (issue 2).

type InitCmd struct{}

func (c *InitCmd) Run(g *Globals) error { return errors.New("init: not implemented yet") }

type GenerateCmd struct {
	Message string `short:"m" help:"Message; becomes the file name's slug."`
}

func (c *GenerateCmd) Run(g *Globals) error { return errors.New("generate: not implemented yet") }

type DiffCmd struct{}

func (c *DiffCmd) Run(g *Globals) error { return errors.New("diff: not implemented yet") }

type CheckCmd struct{}

func (c *CheckCmd) Run(g *Globals) error { return errors.New("check: not implemented yet") }
